package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrpcRouteRef(
    @Required @Size(min = 1, max = 253) @JsonPropertyDescription("Name of the GRPCRoute.")
        String name,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Optional rule selector: names (spec.rules[].name) of the rules to weight. When empty, every rule that has both the stable and the canary Service as backendRefs is weighted.")
        List<String> rules) {

  public List<String> rulesOrEmpty() {
    return rules == null ? List.of() : rules;
  }
}
