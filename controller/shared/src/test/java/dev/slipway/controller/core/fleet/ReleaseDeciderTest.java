package dev.slipway.controller.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.ClusterSelection;
import dev.slipway.api.v1alpha1.ReleasePhase;
import dev.slipway.api.v1alpha1.ReleaseRequest;
import dev.slipway.api.v1alpha1.ReleaseRevision;
import dev.slipway.api.v1alpha1.ReleaseSpec;
import dev.slipway.api.v1alpha1.ReleaseStatus;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSelection;
import dev.slipway.api.v1alpha1.Wave;
import dev.slipway.api.v1alpha1.WaveStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub's decisions, pass by pass, from made-up member views: no cluster. */
class ReleaseDeciderTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final String IMAGE = "registry.example/shop@sha256:" + "a".repeat(64);

  static ReleaseSpec spec(String bake) {
    return new ReleaseSpec(
        new ReleaseRevision(IMAGE),
        new RolloutSelection("shop", List.of("shop"), null),
        List.of(
            new Wave("one", new ClusterSelection(List.of("a"), null), null, bake),
            new Wave("two", new ClusterSelection(null, Map.of("region", "b")), null, bake),
            new Wave("three", new ClusterSelection(List.of("c"), null), null, null)),
        null);
  }

  static MemberView gated(String cluster) {
    return read(cluster, RevisionState.Paused, true, false, null);
  }

  static MemberView canary(String cluster) {
    return read(cluster, RevisionState.Canary, false, true, null);
  }

  static MemberView stable(String cluster, Boolean verified) {
    return read(cluster, RevisionState.Stable, false, false, verified);
  }

  static MemberView read(
      String cluster, RevisionState state, boolean gated, boolean inFlight, Boolean verified) {
    return new MemberView(
        cluster,
        "shop",
        "shop",
        MemberView.Reach.READ,
        true,
        state,
        gated,
        inFlight,
        false,
        "rev/a1#4:" + cluster + "hash",
        verified,
        verified == Boolean.FALSE ? "entry 3: bad signature" : "ok");
  }

  static List<WaveView> views(MemberView... perWave) {
    List<WaveView> v = new ArrayList<>();
    for (MemberView m : perWave) v.add(new WaveView("w", List.of(m), List.of()));
    return v;
  }

  static FleetDecision decide(ReleaseSpec spec, ReleaseStatus s, List<WaveView> v, Instant now) {
    return ReleaseDecider.decide(spec, 1L, s, v, null, now);
  }

  @Test
  void aGoodRevisionWalksWaveByWaveEachOpenedOnlyAfterTheLastBaked() {
    ReleaseSpec spec = spec("1m");
    FleetDecision d = decide(spec, null, views(gated("a"), gated("b"), gated("c")), T0);
    assertEquals(ReleasePhase.Progressing, d.status().phase());
    assertEquals(WaveStatus.OPEN, d.status().waves().get(0).state());
    assertEquals(WaveStatus.WAITING, d.status().waves().get(1).state());
    assertEquals(List.of(new FleetAction.Resume("a", "shop", "shop")), d.actions());
    assertEquals("1/3", d.status().wave());

    d = decide(spec, d.status(), views(canary("a"), gated("b"), gated("c")), T0.plusSeconds(5));
    assertEquals(List.of(), d.actions(), "later waves stay at their gate");
    // Stable but not yet verified: holds.
    d =
        decide(
            spec, d.status(), views(stable("a", null), gated("b"), gated("c")), T0.plusSeconds(30));
    assertEquals(WaveStatus.OPEN, d.status().waves().get(0).state());
    d =
        decide(
            spec, d.status(), views(stable("a", true), gated("b"), gated("c")), T0.plusSeconds(40));
    assertEquals(WaveStatus.BAKING, d.status().waves().get(0).state());
    assertEquals(Duration.ofSeconds(5), d.recheck());
    d =
        decide(
            spec, d.status(), views(stable("a", true), gated("b"), gated("c")), T0.plusSeconds(99));
    assertEquals(WaveStatus.BAKING, d.status().waves().get(0).state(), "baked 59 s of 60");
    d =
        decide(
            spec,
            d.status(),
            views(stable("a", true), gated("b"), gated("c")),
            T0.plusSeconds(100));
    assertEquals(WaveStatus.PASSED, d.status().waves().get(0).state());
    assertEquals("rev/a1#4:ahash", d.status().waves().get(0).members().get(0).recordHead());
    assertEquals(WaveStatus.OPEN, d.status().waves().get(1).state());
    assertEquals("2/3", d.status().wave());
    d =
        decide(
            spec,
            d.status(),
            views(stable("a", true), gated("b"), gated("c")),
            T0.plusSeconds(101));
    assertEquals(List.of(new FleetAction.Resume("b", "shop", "shop")), d.actions());
  }

  @Test
  void aRollbackInTheOpenWaveHaltsForGoodAndAbortsItsOtherCanaries() {
    ReleaseSpec spec = spec(null);
    WaveView two =
        new WaveView(
            "two",
            List.of(
                read("b", RevisionState.RolledBack, false, false, null),
                read("b2", RevisionState.Canary, false, true, null)),
            List.of());
    ReleaseStatus s =
        decide(spec, null, views(stable("a", true), gated("b"), gated("c")), T0).status();
    assertEquals(1, s.waveIndex());
    FleetDecision d =
        decide(
            spec,
            s,
            List.of(views(stable("a", true)).get(0), two, views(gated("c")).get(0)),
            T0.plusSeconds(10));
    assertEquals(ReleasePhase.Halted, d.status().phase());
    assertEquals("b", d.status().halt().cluster());
    assertEquals("rev/a1#4:bhash", d.status().halt().recordHead());
    assertEquals(WaveStatus.HALTED, d.status().waves().get(1).state());
    assertEquals(List.of(new FleetAction.Abort("b2", "shop", "shop")), d.actions());
    // Halted is final: wave three never opens, whatever the members show.
    d =
        decide(
            spec,
            d.status(),
            views(stable("a", true), stable("b", true), gated("c")),
            T0.plusSeconds(60));
    assertEquals(ReleasePhase.Halted, d.status().phase());
    assertEquals(WaveStatus.WAITING, d.status().waves().get(2).state());
    assertEquals(List.of(), d.actions());
  }

  @Test
  void anUnreachableMemberHoldsTheWaveWithAConditionNamingIt() {
    ReleaseSpec spec = spec(null);
    List<WaveView> v =
        List.of(
            new WaveView(
                "one",
                List.of(MemberView.unreachable("a", "shop", "shop", "connection refused")),
                List.of()),
            views(gated("b")).get(0),
            views(gated("c")).get(0));
    FleetDecision d = decide(spec, null, v, T0);
    assertEquals(WaveStatus.OPEN, d.status().waves().get(0).state());
    var c =
        d.status().conditions().stream()
            .filter(x -> x.type().equals(ReleaseDecider.REACHABLE))
            .findFirst()
            .orElseThrow();
    assertEquals("False", c.status());
    assertTrue(c.message().contains("a (connection refused)"), c.message());
    assertTrue(d.status().message().contains("a unreachable"), d.status().message());
    // Back: the wave goes on.
    d =
        decide(
            spec, d.status(), views(stable("a", true), gated("b"), gated("c")), T0.plusSeconds(9));
    assertEquals(WaveStatus.PASSED, d.status().waves().get(0).state());
  }

  @Test
  void neitherAnEmptyWaveNorEvidenceThatFailsEverPasses() {
    ReleaseSpec spec = spec(null);
    List<WaveView> empty =
        List.of(
            new WaveView("one", List.of(), List.of("no registered member cluster matches")),
            views(gated("b")).get(0),
            views(gated("c")).get(0));
    FleetDecision d = decide(spec, null, empty, T0);
    assertEquals(WaveStatus.OPEN, d.status().waves().get(0).state());
    assertTrue(d.status().message().contains("no registered member"), d.status().message());
    d =
        decide(
            spec, d.status(), views(stable("a", false), gated("b"), gated("c")), T0.plusSeconds(5));
    assertEquals(WaveStatus.OPEN, d.status().waves().get(0).state());
    assertEquals(
        "False",
        d.status().conditions().stream()
            .filter(x -> x.type().equals(ReleaseDecider.VERIFIED))
            .findFirst()
            .orElseThrow()
            .status());
  }

  @Test
  void pauseHoldsTheNextWaveResumeOpensItAbortAbortsTheOpenWave() {
    ReleaseSpec spec = spec(null);
    ReleaseStatus s = decide(spec, null, views(canary("a"), gated("b"), gated("c")), T0).status();
    s = withRequest(s, ReleaseRequest.Action.Pause);
    FleetDecision d =
        decide(spec, s, views(stable("a", true), gated("b"), gated("c")), T0.plusSeconds(5));
    assertEquals(ReleasePhase.Paused, d.status().phase());
    assertNull(d.status().request());
    assertEquals(
        WaveStatus.WAITING, d.status().waves().get(1).state(), "wave two waits while paused");
    assertEquals(List.of(), d.actions());
    d =
        decide(
            spec,
            withRequest(d.status(), ReleaseRequest.Action.Resume),
            views(stable("a", true), gated("b"), gated("c")),
            T0.plusSeconds(6));
    assertEquals(ReleasePhase.Progressing, d.status().phase());
    assertEquals(WaveStatus.OPEN, d.status().waves().get(1).state());
    d =
        decide(
            spec, d.status(), views(stable("a", true), canary("b"), gated("c")), T0.plusSeconds(7));
    d =
        decide(
            spec,
            withRequest(d.status(), ReleaseRequest.Action.Abort),
            views(stable("a", true), canary("b"), gated("c")),
            T0.plusSeconds(8));
    assertEquals(ReleasePhase.Aborted, d.status().phase());
    assertEquals(List.of(new FleetAction.Abort("b", "shop", "shop")), d.actions());
    assertEquals(
        "aborted: the open wave's canaries are aborted, no further wave opens",
        d.status().lastAction().result());
    d =
        decide(
            spec,
            withRequest(d.status(), ReleaseRequest.Action.Resume),
            views(stable("a", true), canary("b"), gated("c")),
            T0.plusSeconds(9));
    assertEquals(ReleasePhase.Aborted, d.status().phase());
    assertEquals("refused: the release is Aborted", d.status().lastAction().result());
  }

  @Test
  void aLaterWavesRolloutRunningAheadOfItsWaveIsNamed() {
    FleetDecision d = decide(spec(null), null, views(gated("a"), canary("b"), gated("c")), T0);
    var c =
        d.status().conditions().stream()
            .filter(x -> x.type().equals(ReleaseDecider.GATED))
            .findFirst()
            .orElseThrow();
    assertEquals("False", c.status());
    assertTrue(c.message().contains("b:shop/shop (wave two)"), c.message());
  }

  static ReleaseStatus withRequest(ReleaseStatus s, ReleaseRequest.Action a) {
    return new ReleaseStatus(
        s.observedGeneration(),
        s.phase(),
        s.wave(),
        s.waveIndex(),
        s.message(),
        s.waves(),
        s.halt(),
        new ReleaseRequest(a, "alice"),
        s.lastAction(),
        s.conditions());
  }
}
