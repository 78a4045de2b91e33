package dev.slipway.api.v1alpha1;

/** Where the desired revision stands in the deployment state machine. Spelled as in YAML. */
public enum RevisionState {
  Pending,
  Ready,
  Canary,
  Paused,
  Promoted,
  Stable,
  RolledBack,
  Superseded
}
