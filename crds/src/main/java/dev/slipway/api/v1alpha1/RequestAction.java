package dev.slipway.api.v1alpha1;

/** Manual actions a release engineer can request through status.request. */
public enum RequestAction {
  Pause,
  Resume,
  Promote,
  PromoteFull,
  Abort,
  Retry,
  Restart
}
