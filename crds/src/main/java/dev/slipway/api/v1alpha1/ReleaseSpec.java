package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a fleet release walks: one revision, the Rollouts that carry it, and the waves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.waves.all(w, self.waves.exists_one(v, v.name == w.name))",
    message = "wave names must be unique")
@ValidationRule(
    value = "self.waves.all(w, has(w.rollouts) || has(self.rollouts))",
    message = "every wave needs rollouts: set spec.rollouts, or rollouts on the wave")
@ValidationRule(
    value = "self.revision.image == oldSelf.revision.image",
    message =
        "a Release's revision cannot change: it is what its waves passed on; create a new Release")
public record ReleaseSpec(
    @Required
        @JsonPropertyDescription(
            "The revision released: the member Rollouts whose pod template carries it are on it.")
        ReleaseRevision revision,
    @JsonPropertyDescription(
            "The Rollouts of every wave's clusters that carry the release, unless a wave names its own.")
        RolloutSelection rollouts,
    @Required
        @Size(min = 1, max = 16)
        @JsonPropertyDescription(
            "The waves, in order. A wave opens only when every Rollout of the wave before it is Stable on the revision, its evidence verifies with its cluster's public key, and the wave's bake time has passed.")
        List<Wave> waves,
    @Size(max = 512)
        @Pattern("^[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*(,[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*)*$")
        @JsonPropertyDescription(
            "Member cluster registrations: Secrets in the Release's namespace with these labels (key=value[,key=value]), slipway.dev/member-cluster=true unless set here.")
        String memberSelector) {

  public String memberSelectorOrDefault() {
    return memberSelector == null || memberSelector.isBlank()
        ? "slipway.dev/member-cluster=true"
        : memberSelector;
  }
}
