package dev.slipway.controller.core;

/**
 * The image policies (spec.imagePolicy, the platform's for the namespace), before any pod of a new
 * revision runs: a revision whose images did not verify (or could not be checked) stays Pending,
 * with no ReplicaSet and no traffic, and says which image and why. Missing data is never a pass: a
 * policy with no verdict yet holds too. The progress deadline does not run while it is held.
 */
final class ImagePolicyGate {
  static final String CONDITION = "ImagesUnverified";

  private ImagePolicyGate() {}

  /** Whether the revision is held; drops the condition once its images verified. */
  static boolean holds(RolloutDecider.Ctx c) {
    Draft d = c.d();
    ImageVerdict v = c.obs().images();
    // A verdict means some policy binds (the platform's for the namespace, say); without one and
    // without spec.imagePolicy, none does.
    if (c.spec().imagePolicy() == null && v == null) {
      d.dropCondition(CONDITION);
      return false;
    }
    if (v != null && v.verified()) {
      if (d.conditionMessage(CONDITION).isPresent()) {
        // Released after a hold: the progress deadline counts from the verification.
        d.progressed();
        d.dropCondition(CONDITION);
      }
      return false;
    }
    String why =
        v == null ? "the images have not been checked against the image policy yet" : v.message();
    String reason = v == null ? "NotChecked" : v.status().name();
    // An Event per change of verdict, not per pass.
    boolean news = v != null && !why.equals(d.conditionMessage(CONDITION).orElse(null));
    d.condition(CONDITION, true, reason, why);
    if (news) {
      d.act(new Action.Emit(true, CONDITION, why));
    }
    // Not slow progress but a refusal: the revision waits, however long, for its images to be
    // signed (or for the registry), instead of ending RolledBack past the progress deadline.
    d.deadlineExempt = true;
    RolloutDecider.waitFor(c, "held before any pod runs: " + why);
    return true;
  }
}
