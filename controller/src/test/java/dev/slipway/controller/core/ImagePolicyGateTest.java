package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.ImagePolicy;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.imagePolicy in the pure core: a revision whose images did not verify, or could not be
 * checked, or have no verdict yet, stays Pending with no ReplicaSet and no weight; once verified it
 * walks as any other.
 */
class ImagePolicyGateTest {
  static final ImageVerdict VERIFIED =
      new ImageVerdict(
          ImageVerdict.Status.Verified,
          "1 image(s) signed",
          List.of(Map.of("image", "r/app@sha256:aa", "signature", "sha256:bb")));
  static final ImageVerdict UNSIGNED =
      new ImageVerdict(
          ImageVerdict.Status.Refused,
          "container app: image r/app@sha256:cc has no cosign signature",
          List.of());
  static final ImageVerdict UNREACHABLE =
      new ImageVerdict(
          ImageVerdict.Status.Unavailable, "container app: image could not be checked", List.of());

  static RolloutSpec withPolicy(RolloutSpec s) {
    return s.withImagePolicy(
        new ImagePolicy(List.of("-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"), null));
  }

  static Condition condition(RolloutStatus s) {
    return s.conditionsOrEmpty().stream()
        .filter(c -> c.type().equals(ImagePolicyGate.CONDITION))
        .findFirst()
        .orElse(null);
  }

  static boolean created(World w, String revision) {
    return w.log.stream()
        .anyMatch(a -> a instanceof Action.EnsureReplicaSet e && e.revision().equals(revision));
  }

  @Test
  void anUnverifiedFirstRevisionRunsNothingUntilItsImagesVerify() {
    RolloutSpec spec = withPolicy(Fixtures.spec(CanaryStep.weight(50)));
    World w = new World();
    for (ImageVerdict v : Arrays.asList(null, UNSIGNED, UNREACHABLE)) {
      w.images = v;
      RolloutStatus s = w.settle(spec, "v1", 5);
      assertEquals(RevisionState.Pending, s.state(), String.valueOf(v));
      assertFalse(created(w, "v1"), "no pod of an unverified revision: " + w.log);
      Condition c = condition(s);
      assertEquals(v == null ? "NotChecked" : v.status().name(), c.reason());
      assertTrue(s.message().startsWith("held before any pod runs: "), s.message());
    }
    assertEquals(
        2,
        w.log.stream()
            .filter(a -> a instanceof Action.Emit e && e.reason().equals(ImagePolicyGate.CONDITION))
            .count(),
        "one Warning Event per verdict, not per pass");
    w.images = VERIFIED;
    RolloutStatus s = w.settle(spec, "v1", 10);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals(null, condition(s));
  }

  @Test
  void anUnverifiedNewRevisionGetsNoCanaryAndNoTraffic() {
    RolloutSpec spec = withPolicy(Fixtures.spec(CanaryStep.weight(50), CanaryStep.pause(null)));
    World w = new World();
    w.images = VERIFIED;
    assertEquals(RevisionState.Stable, w.settle(spec, "v1", 10).state());
    w.images = UNSIGNED;
    RolloutStatus s = w.settle(spec, "v2", 10);
    assertEquals(RevisionState.Pending, s.state());
    assertEquals(UNSIGNED.message(), condition(s).message());
    assertFalse(created(w, "v2"));
    assertEquals(0, w.weight, "nothing routes to it");
    assertEquals("v1", s.stableRevision());
    w.images = VERIFIED;
    s = w.settle(spec, "v2", 10);
    assertEquals(RevisionState.Paused, s.state(), "verified, it walks its steps");
    assertEquals(50, w.weight);
    assertTrue(created(w, "v2"));
  }

  @Test
  void withoutAPolicyNothingIsAskedAndNothingHeld() {
    World w = new World();
    assertEquals(
        RevisionState.Stable, w.settle(Fixtures.spec(CanaryStep.weight(50)), "v1", 10).state());
  }

  /**
   * A policy the platform sets for the namespace binds a Rollout without its own: the reader's
   * verdict alone holds it, and releases it once verified.
   */
  @Test
  void aVerdictWithoutSpecImagePolicyHoldsAsOneWithIt() {
    RolloutSpec spec = Fixtures.spec(CanaryStep.weight(50));
    World w = new World();
    ImageVerdict platform =
        new ImageVerdict(
            ImageVerdict.Status.Refused,
            "policy signed-in-prod (slipway-image-policies): container app: image r/app@sha256:cc has no cosign signature",
            List.of());
    w.images = platform;
    RolloutStatus s = w.settle(spec, "v1", 5);
    assertEquals(RevisionState.Pending, s.state());
    assertFalse(created(w, "v1"));
    assertEquals(platform.message(), condition(s).message());
    w.images = VERIFIED;
    assertEquals(RevisionState.Stable, w.settle(spec, "v1", 10).state());
  }
}
