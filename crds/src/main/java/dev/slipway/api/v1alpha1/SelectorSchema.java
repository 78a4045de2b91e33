package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Schema for spec.selector. The Java field stays fabric8's LabelSelector; this only gives the CRD
 * described, bounded properties.
 */
public final class SelectorSchema {
  @JsonPropertyDescription("Labels a pod must carry, all of them.")
  public Map<String, String> matchLabels;

  @Size(max = 16)
  @JsonPropertyDescription("Set-based requirements, as in any Kubernetes label selector.")
  public List<Requirement> matchExpressions;

  /** One set-based requirement. */
  public static final class Requirement {
    @Required
    @JsonPropertyDescription("The label key.")
    public String key;

    @Required
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    public String operator;

    @JsonPropertyDescription("Values for In and NotIn; empty for Exists and DoesNotExist.")
    public List<String> values;

    private Requirement() {}
  }

  private SelectorSchema() {}
}
