package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.canary) ? 1 : 0) + (has(self.blueGreen) ? 1 : 0) == 1",
    message = "spec.strategy: set exactly one of canary, blueGreen")
public record Strategy(
    @JsonPropertyDescription("Canary delivery through Gateway API HTTPRoute weights.")
        CanaryStrategy canary,
    @JsonPropertyDescription(
            "Blue/green delivery: the new revision fully provisioned behind a preview Service, then switched to at once.")
        BlueGreenStrategy blueGreen) {

  public Strategy(CanaryStrategy canary) {
    this(canary, null);
  }

  /**
   * What the controller carries out: the canary, or the canary steps a blue/green spec amounts to.
   * Null when neither is set.
   */
  public CanaryStrategy plan() {
    return canary != null ? canary : blueGreen != null ? blueGreen.asCanary() : null;
  }
}
