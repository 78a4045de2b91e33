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
            "Kind of the workload (apps/v1), in the Rollout's namespace (a workload elsewhere cannot be named). Deployment (the default): adopted, its pods replaced by the Rollout's own ReplicaSets. StatefulSet: walked in place by its updateStrategy.rollingUpdate.partition, which Slipway holds at spec.replicas between releases so that a template change updates no pod until a step says so; its pod template and replica count are the StatefulSet's (leave spec.template and spec.replicas out); the stable and canary Services select pods by controller-revision-hash. DaemonSet: walked node by node; it must have updateStrategy OnDelete, so that a template change from Git replaces no pod until a step says so: Slipway then deletes the old pods one node at a time (through the Eviction API), each once the one before is Ready, and its controller recreates them from the new template; steps count nodes (setCanaryScale replicas or weight, setWeight) or name them (setCanaryScale.nodeSelector); nodes that are not Ready are skipped and named in condition NodesSkipped. A rollback writes the stable revision's template (from its ControllerRevision) back into the DaemonSet, then replaces the updated nodes' pods; leave spec.template and spec.replicas out.")
        Kind kind,
    @Required
        @Size(min = 1, max = 253)
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("Name of the workload, in the Rollout's namespace.")
        String name) {

  public enum Kind {
    Deployment,
    StatefulSet,
    DaemonSet
  }

  /** Whether the Rollout walks this StatefulSet in place (its partition). */
  public boolean statefulSet() {
    return kind == Kind.StatefulSet;
  }

  /** Whether the Rollout walks this DaemonSet node by node (it updates OnDelete). */
  public boolean daemonSet() {
    return kind == Kind.DaemonSet;
  }

  /** Whether the workload's own pods are walked (a StatefulSet or a DaemonSet), not adopted. */
  public boolean inPlace() {
    return statefulSet() || daemonSet();
  }

  /** The kind as people read it: Deployment when unset. */
  public String kindName() {
    return kind == null ? "Deployment" : kind.name();
  }
}
