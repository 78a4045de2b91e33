package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An existing workload whose pods this Rollout takes over. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadRef(
    @JsonPropertyDescription(
            "Kind of the workload (apps/v1), in the Rollout's namespace (a workload elsewhere cannot be named). Deployment (the default): adopted, its pods replaced by the Rollout's own ReplicaSets. StatefulSet: walked in place by its updateStrategy.rollingUpdate.partition, which Slipway holds at spec.replicas between releases so that a template change updates no pod until a step says so; its pod template and replica count are the StatefulSet's (leave spec.template and spec.replicas out); the stable and canary Services select pods by controller-revision-hash.")
        Kind kind,
    @Required
        @Size(min = 1, max = 253)
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("Name of the workload, in the Rollout's namespace.")
        String name) {

  public enum Kind {
    Deployment,
    StatefulSet
  }

  /** Whether the Rollout walks this workload in place (its partition) instead of adopting it. */
  public boolean statefulSet() {
    return kind == Kind.StatefulSet;
  }

  /** The kind as people read it: Deployment when unset. */
  public String kindName() {
    return kind == null ? "Deployment" : kind.name();
  }
}
