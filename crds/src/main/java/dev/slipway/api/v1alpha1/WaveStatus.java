package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One wave as the hub last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaveStatus(
    @JsonPropertyDescription("The wave's name.") String name,
    @JsonPropertyDescription(
            "Waiting (not open yet), Open (its Rollouts released from their gate), Baking (all Stable and verified, the bake time running), Passed or Halted.")
        String state,
    @JsonPropertyDescription("When the wave opened (RFC 3339).") String openedAt,
    @JsonPropertyDescription(
            "When the hub first saw every Rollout of the wave Stable on the revision with verified evidence (RFC 3339); the bake time counts from here.")
        String stableAt,
    @JsonPropertyDescription("When the wave passed (RFC 3339).") String passedAt,
    @Size(max = 256) @JsonPropertyDescription("The wave's Rollouts, cluster by cluster.")
        List<MemberStatus> members) {

  public static final String WAITING = "Waiting";
  public static final String OPEN = "Open";
  public static final String BAKING = "Baking";
  public static final String PASSED = "Passed";
  public static final String HALTED = "Halted";

  public List<MemberStatus> membersOrEmpty() {
    return members == null ? List.of() : members;
  }
}
