package dev.slipway.controller.kube;

import dev.slipway.api.v1alpha1.Rollout;

/** Label and annotation keys Slipway writes. */
public final class Labels {
  public static final String POD_TEMPLATE_HASH = "slipway.dev/pod-template-hash";
  public static final String ROLLOUT = "slipway.dev/rollout";
  public static final String FIELD_MANAGER = "slipway-controller";

  /**
   * The label a StatefulSet's or DaemonSet's controller puts on each pod: the name of the
   * ControllerRevision it runs, which is the revision of a Rollout that walks either in place.
   */
  public static final String CONTROLLER_REVISION_HASH = "controller-revision-hash";

  private Labels() {}

  /** The pod label that names a revision of this Rollout, and that its Services select by. */
  public static String revision(Rollout r) {
    var ref = r.getSpec() == null ? null : r.getSpec().workloadRef();
    return ref != null && ref.inPlace() ? CONTROLLER_REVISION_HASH : POD_TEMPLATE_HASH;
  }
}
