package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What the user declares (usually from Git through Argo CD). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutSpec(
    @SpecReplicas
    @Min(0)
    @JsonPropertyDescription("Desired number of pods once a revision is stable. Defaults to 1. Target of the scale subresource, so an HPA can drive it.")
    Integer replicas,

    @Required
    @SchemaFrom(type = SelectorSchema.class)
    @JsonPropertyDescription("Label selector for the Rollout's pods. Must match the template's labels. The controller adds slipway.dev/pod-template-hash on top.")
    LabelSelector selector,

    @Required
    @PreserveUnknownFields
    @SchemaFrom(type = OpaqueObject.class)
    @JsonPropertyDescription("Pod template, as in a Deployment. A change to it starts a new revision. It is validated by the ReplicaSet API when the controller creates the ReplicaSet; a rejection shows at once as the ActionFailed condition with the API server's message, and phase Degraded.")
    PodTemplateSpec template,

    @Min(0)
    @JsonPropertyDescription("How many old, scaled-down ReplicaSets to keep for undo. Defaults to 2.")
    Integer revisionHistoryLimit,

    @Min(1)
    @JsonPropertyDescription("Seconds a revision may go without progress (pods ready, weight verified, step done) before it is rolled back. Paused time does not count. Defaults to 600.")
    Integer progressDeadlineSeconds,

    @JsonPropertyDescription("Declarative pause from Git: while true, the canary does not advance. Manual pauses from kubectl go through status.request instead, so they cause no GitOps drift.")
    Boolean paused,

    @Required
    @JsonPropertyDescription("How a new revision is delivered.")
    Strategy strategy) {

  public static final int DEFAULT_REPLICAS = 1;
  public static final int DEFAULT_HISTORY_LIMIT = 2;
  public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  public int replicasOrDefault() {
    return replicas == null ? DEFAULT_REPLICAS : replicas;
  }

  public int historyLimitOrDefault() {
    return revisionHistoryLimit == null ? DEFAULT_HISTORY_LIMIT : revisionHistoryLimit;
  }

  public int progressDeadlineOrDefault() {
    return progressDeadlineSeconds == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : progressDeadlineSeconds;
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(paused);
  }
}
