package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;

/**
 * Who may approve what, from sources a requester cannot write: the change's author as recorded when
 * its attempt opened, and whether requestedBy is bound to the caller by admission.
 */
public interface Approvals {
  /**
   * The author recorded when the Rollout's current attempt opened, or null when none was recorded.
   */
  String author(Rollout r);

  /**
   * Whether, in this namespace, admission refuses a requestedBy that is not the caller's own user
   * name.
   */
  boolean requestedByBound(String namespace);

  /** Neither known: under requireDistinctApprover every approval is refused. */
  Approvals NONE =
      new Approvals() {
        @Override
        public String author(Rollout r) {
          return null;
        }

        @Override
        public boolean requestedByBound(String namespace) {
          return false;
        }
      };
}
