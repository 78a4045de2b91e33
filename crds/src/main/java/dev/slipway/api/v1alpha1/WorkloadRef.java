package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An existing workload whose pods this Rollout takes over. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadRef(
    @JsonPropertyDescription("Kind of the workload; Deployment (apps/v1) is the one supported.")
        Kind kind,
    @Required
        @Size(min = 1, max = 253)
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("Name of the Deployment, in the Rollout's namespace.")
        String name) {

  public enum Kind {
    Deployment
  }
}
