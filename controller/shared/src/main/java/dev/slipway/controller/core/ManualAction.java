package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RequestAction;

/**
 * A manual request as observed, with who wrote it (from managedFields) and when, the author of the
 * change it would approve as recorded when the change's attempt opened (its RecordOpened
 * provenance; never the live annotation, which anyone who edits the Rollout can rewrite), if known,
 * and whether requestedBy is bound to the caller (the ValidatingAdmissionPolicy
 * slipway-requested-by is in force for the namespace, so a requestedBy can only be the
 * authenticated user's own name).
 */
public record ManualAction(
    RequestAction action,
    String requestedBy,
    String fieldManager,
    String requestedAt,
    String author,
    boolean requestedByBound) {
  public ManualAction(
      RequestAction action, String requestedBy, String fieldManager, String requestedAt) {
    this(action, requestedBy, fieldManager, requestedAt, null, false);
  }

  public ManualAction(
      RequestAction action,
      String requestedBy,
      String fieldManager,
      String requestedAt,
      String author) {
    this(action, requestedBy, fieldManager, requestedAt, author, false);
  }
}
