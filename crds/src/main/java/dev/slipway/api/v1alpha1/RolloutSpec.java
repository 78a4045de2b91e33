package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What the user declares (usually from Git through Argo CD). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.template) || has(self.workloadRef)",
    message = "spec: set template, or workloadRef to read the pod template from a Deployment",
    fieldPath = ".template")
@ValidationRule(
    value =
        "!has(self.workloadRef) || !has(self.workloadRef.kind) || self.workloadRef.kind == 'Deployment' || (!has(self.template) && !has(self.replicas))",
    message =
        "spec: with workloadRef.kind StatefulSet or DaemonSet, the pod template and replica count are the workload's: leave spec.template and spec.replicas out",
    fieldPath = ".workloadRef")
@ValidationRule(
    value =
        "(has(self.workloadRef) && has(self.workloadRef.kind) && self.workloadRef.kind == 'DaemonSet') || !has(self.strategy.canary) || !has(self.strategy.canary.steps) || self.strategy.canary.steps.all(s, !has(s.setCanaryScale) || !has(s.setCanaryScale.nodeSelector))",
    message = "spec: setCanaryScale.nodeSelector names nodes: it needs workloadRef.kind DaemonSet",
    fieldPath = ".strategy")
public record RolloutSpec(
    @SpecReplicas
        @Min(0)
        @JsonPropertyDescription(
            "Desired number of pods once a revision is stable. Defaults to 1. Target of the scale subresource, so an HPA can drive it.")
        Integer replicas,
    @Required
        @SchemaFrom(type = SelectorSchema.class)
        @JsonPropertyDescription(
            "Label selector for the Rollout's pods. Must match the template's labels. The controller adds slipway.dev/pod-template-hash on top.")
        LabelSelector selector,
    @PreserveUnknownFields
        @SchemaFrom(type = OpaqueObject.class)
        @JsonPropertyDescription(
            "Pod template, as in a Deployment. Required unless workloadRef is set: then, when absent, the template is the referenced Deployment's, read at every pass (a change to it is seen within 30 s), as Argo Rollouts does. A change to it starts a new revision. It is validated by the ReplicaSet API when the controller creates the ReplicaSet; a rejection shows at once as the ActionFailed condition with the API server's message, and phase Degraded.")
        PodTemplateSpec template,
    @Min(0)
        @JsonPropertyDescription(
            "How many old, scaled-down ReplicaSets to keep for undo. Defaults to 2.")
        Integer revisionHistoryLimit,
    @Min(1)
        @JsonPropertyDescription(
            "Seconds a revision may go without progress (pods ready, weight verified, step done) before it is rolled back. Paused time does not count. Defaults to 600.")
        Integer progressDeadlineSeconds,
    @JsonPropertyDescription(
            "Declarative pause from Git: while true, the canary does not advance. Manual pauses from kubectl go through status.request instead, so they cause no GitOps drift.")
        Boolean paused,
    @Required @JsonPropertyDescription("How a new revision is delivered.") Strategy strategy,
    @JsonPropertyDescription(
            "Adopt the pods of an existing Deployment without dropping a request: the Rollout's own ReplicaSet comes up in full first, the Services are pointed at it only once its pods are ready, and the Deployment is scaled to 0 (through its scale subresource) after the scale-down delay. The Deployment must consent (annotation slipway.dev/adopt-by naming this Rollout), no older Rollout may name it, and the stable Service must select its pods; otherwise nothing is written (condition WorkloadRefused). Leave spec.template out to run the Deployment's own pod template (read from it at every pass), or set it to override. With Argo CD, set the Deployment's replicas to 0 in Git afterwards (or ignore its /spec/replicas), or self-heal scales it back up.")
        WorkloadRef workloadRef,
    @JsonPropertyDescription(
            "Opt-in supply-chain check: every image of a new revision must be named by digest (repository@sha256:...) and carry a cosign signature by one of these keys (and the attestations asked for), verified against its registry before any of its pods run. A revision that does not verify stays Pending, with no ReplicaSet and no traffic, and condition ImagesUnverified names the image and the reason; one that verifies has the signature's and attestations' digests recorded in its evidence. Registries on 127.0.0.1 or localhost are reached over plain HTTP, others over HTTPS, anonymously.")
        ImagePolicy imagePolicy) {
  public RolloutSpec(
      Integer replicas,
      LabelSelector selector,
      PodTemplateSpec template,
      Integer revisionHistoryLimit,
      Integer progressDeadlineSeconds,
      Boolean paused,
      Strategy strategy,
      WorkloadRef workloadRef) {
    this(
        replicas,
        selector,
        template,
        revisionHistoryLimit,
        progressDeadlineSeconds,
        paused,
        strategy,
        workloadRef,
        null);
  }

  /** Without a workload to adopt (the common case, and what specs written before adoption say). */
  public RolloutSpec(
      Integer replicas,
      LabelSelector selector,
      PodTemplateSpec template,
      Integer revisionHistoryLimit,
      Integer progressDeadlineSeconds,
      Boolean paused,
      Strategy strategy) {
    this(
        replicas,
        selector,
        template,
        revisionHistoryLimit,
        progressDeadlineSeconds,
        paused,
        strategy,
        null);
  }

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
    return progressDeadlineSeconds == null
        ? DEFAULT_PROGRESS_DEADLINE_SECONDS
        : progressDeadlineSeconds;
  }

  /**
   * Not an is-getter: Jackson would take one for the property and write paused: false into specs
   * that never set it.
   */
  /** The same spec with another pod template (the workloadRef Deployment's). */
  public RolloutSpec withTemplate(PodTemplateSpec t) {
    return new RolloutSpec(
        replicas,
        selector,
        t,
        revisionHistoryLimit,
        progressDeadlineSeconds,
        paused,
        strategy,
        workloadRef,
        imagePolicy);
  }

  /** The same spec with another replica count (a StatefulSet's, walked in place). */
  public RolloutSpec withReplicas(Integer n) {
    return new RolloutSpec(
        n,
        selector,
        template,
        revisionHistoryLimit,
        progressDeadlineSeconds,
        paused,
        strategy,
        workloadRef,
        imagePolicy);
  }

  /** The same spec adopting (or reading its template from) this workload. */
  public RolloutSpec withWorkloadRef(WorkloadRef ref) {
    return new RolloutSpec(
        replicas,
        selector,
        template,
        revisionHistoryLimit,
        progressDeadlineSeconds,
        paused,
        strategy,
        ref,
        imagePolicy);
  }

  /** The same spec under this image policy. */
  public RolloutSpec withImagePolicy(ImagePolicy policy) {
    return new RolloutSpec(
        replicas,
        selector,
        template,
        revisionHistoryLimit,
        progressDeadlineSeconds,
        paused,
        strategy,
        workloadRef,
        policy);
  }

  public boolean pausedOrFalse() {
    return Boolean.TRUE.equals(paused);
  }
}
