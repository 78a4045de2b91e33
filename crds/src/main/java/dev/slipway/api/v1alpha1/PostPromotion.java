package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The observation window after promotion, before the revision is recorded Stable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostPromotion(
    @Required
        @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long to observe the promoted revision, serving all traffic, before it is Stable. The previous stable ReplicaSet stays scaled up meanwhile, so a rollback is immediate.")
        String window,
    @JsonPropertyDescription(
            "Analysis run during the window (thresholds only: there is no baseline traffic any more). The window also lasts until it finishes.")
        AnalysisStep analysis,
    @JsonPropertyDescription(
            "What a Failed or Error verdict inside the window does: Rollback (default) sends traffic back to the previous stable revision; Alert records it and emits a Warning Event, and the revision still becomes Stable.")
        OnFailure onFailure) {

  public enum OnFailure {
    Rollback,
    Alert
  }

  public OnFailure onFailureOrDefault() {
    return onFailure == null ? OnFailure.Rollback : onFailure;
  }
}
