package dev.slipway.controller.kube;

/** Label and annotation keys Slipway writes. */
public final class Labels {
  public static final String POD_TEMPLATE_HASH = "slipway.dev/pod-template-hash";
  public static final String ROLLOUT = "slipway.dev/rollout";
  public static final String FIELD_MANAGER = "slipway-controller";

  private Labels() {}
}
