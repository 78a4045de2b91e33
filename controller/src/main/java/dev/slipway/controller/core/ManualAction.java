package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RequestAction;

/**
 * A manual request as observed, with who wrote it (from managedFields) and when, and the author of
 * the change it would approve (the Rollout's slipway.dev/author annotation), if known.
 */
public record ManualAction(RequestAction action, String requestedBy, String fieldManager, String requestedAt, String author) {
  public ManualAction(RequestAction action, String requestedBy, String fieldManager, String requestedAt) {
    this(action, requestedBy, fieldManager, requestedAt, null);
  }
}
