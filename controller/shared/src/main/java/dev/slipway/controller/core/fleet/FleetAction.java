package dev.slipway.controller.core.fleet;

/** What the hub asks of a member Rollout, through its status subresource. */
public sealed interface FleetAction {
  String cluster();

  String namespace();

  String rollout();

  /** Release the Rollout from its gate: its wave is open. */
  record Resume(String cluster, String namespace, String rollout) implements FleetAction {}

  /** Abort its canary: the release halted or was aborted. */
  record Abort(String cluster, String namespace, String rollout) implements FleetAction {}
}
