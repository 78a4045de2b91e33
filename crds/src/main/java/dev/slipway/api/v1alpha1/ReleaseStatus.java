package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Where a fleet release stands: its phase, each wave and each member Rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseStatus(
    @JsonPropertyDescription("The metadata.generation the hub last acted on.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Progressing (a wave is open), Paused (no further wave opens until resumed), Halted (a Rollout of the open wave was rolled back: no later wave ever opens), Aborted (by request) or Succeeded (every wave passed).")
        ReleasePhase phase,
    @JsonPropertyDescription("The open wave for people, counted from 1: '2/3'.") String wave,
    @JsonPropertyDescription("The open wave's index, from 0; the wave count once all passed.")
        Integer waveIndex,
    @JsonPropertyDescription("What the hub is doing or waiting for.") String message,
    @Size(max = 16) @JsonPropertyDescription("Each wave's state and members.")
        List<WaveStatus> waves,
    @JsonPropertyDescription(
            "Why the release halted: the member cluster, the Rollout rolled back and the head of its evidence record then.")
        ReleaseHalt halt,
    @JsonPropertyDescription(
            "A pending request (Pause, Resume or Abort), written through the status subresource as `kubectl slipway release` does.")
        ReleaseRequest request,
    @JsonPropertyDescription("The last request carried out, with who asked and when.")
        ActionRecord lastAction,
    @Size(max = 16) @JsonPropertyDescription("Conditions in the Kubernetes convention.")
        List<Condition> conditions) {

  public static ReleaseStatus empty() {
    return new ReleaseStatus(null, null, null, null, null, null, null, null, null, null);
  }

  public List<WaveStatus> wavesOrEmpty() {
    return waves == null ? List.of() : waves;
  }

  public List<Condition> conditionsOrEmpty() {
    return conditions == null ? List.of() : conditions;
  }
}
