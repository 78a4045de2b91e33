package dev.slipway.controller.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.ReleasePhase;
import dev.slipway.api.v1alpha1.ReleaseSpec;
import dev.slipway.api.v1alpha1.ReleaseStatus;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.WaveStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever members show, pass after pass (seeded random views): a wave opens only after the one
 * before it passed, a wave passes only with every member Stable and verified, nothing opens after a
 * halt, and only an open wave's Rollouts are ever resumed.
 */
class ReleaseDeciderPropertyTest {
  @Test
  void wavesOpenOnlyInOrderAndPassOnlyOnVerifiedStableMembers() {
    Random random = new Random(32);
    ReleaseSpec spec = ReleaseDeciderTest.spec(null);
    int succeeded = 0;
    int halted = 0;
    for (int run = 0; run < 2_000; run++) {
      ReleaseStatus s = null;
      Instant now = ReleaseDeciderTest.T0;
      for (int pass = 0; pass < 30; pass++) {
        List<WaveView> views = new ArrayList<>();
        for (String c : List.of("a", "b", "c"))
          views.add(new WaveView(c, List.of(any(random, c)), List.of()));
        FleetDecision d = ReleaseDecider.decide(spec, 1L, s, views, null, now);
        ReleaseStatus n = d.status();
        List<WaveStatus> w = n.waves();
        for (int i = 1; i < w.size(); i++) {
          if (!WaveStatus.WAITING.equals(w.get(i).state())) {
            assertEquals(
                WaveStatus.PASSED, w.get(i - 1).state(), "wave " + i + " opened early: " + w);
          }
        }
        for (int i = 0; i < w.size(); i++) {
          boolean passedNow =
              WaveStatus.PASSED.equals(w.get(i).state())
                  && (s == null || !WaveStatus.PASSED.equals(s.waves().get(i).state()));
          if (passedNow) {
            MemberView m = views.get(i).members().get(0);
            assertTrue(m.stableOnRevision() && Boolean.TRUE.equals(m.verified()), "passed on " + m);
          }
        }
        if (s != null && s.phase() == ReleasePhase.Halted) {
          assertEquals(ReleasePhase.Halted, n.phase());
          assertEquals(s.waveIndex(), n.waveIndex());
        }
        for (FleetAction a : d.actions()) {
          if (a instanceof FleetAction.Resume r) {
            int wave = List.of("a", "b", "c").indexOf(r.cluster());
            assertEquals(n.waveIndex(), wave, "resumed outside the open wave: " + a);
            assertTrue(n.phase() == ReleasePhase.Progressing, "resumed while " + n.phase());
          }
        }
        s = n;
        now = now.plusSeconds(1 + random.nextInt(20));
      }
      if (s.phase() == ReleasePhase.Succeeded) succeeded++;
      if (s.phase() == ReleasePhase.Halted) halted++;
    }
    // Not vacuous: runs got through every wave, and others halted.
    assertTrue(succeeded > 20 && halted > 20, succeeded + " succeeded, " + halted + " halted");
  }

  static MemberView any(Random random, String cluster) {
    int k = random.nextInt(10);
    if (k == 0) return MemberView.unreachable(cluster, "shop", "shop", "timeout");
    if (k == 1) return MemberView.missing(cluster, "shop", "shop");
    RevisionState[] states = RevisionState.values();
    RevisionState state = states[random.nextInt(states.length)];
    // Rollbacks are rarer than the rest, so that some runs get far.
    if (state == RevisionState.RolledBack && random.nextInt(4) != 0) state = RevisionState.Stable;
    return new MemberView(
        cluster,
        "shop",
        "shop",
        MemberView.Reach.READ,
        random.nextInt(5) != 0,
        state,
        state == RevisionState.Paused && random.nextBoolean(),
        state == RevisionState.Canary || state == RevisionState.Promoted,
        random.nextInt(6) == 0,
        "h",
        switch (random.nextInt(3)) {
          case 0 -> null;
          case 1 -> false;
          default -> true;
        },
        "d");
  }
}
