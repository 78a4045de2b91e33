package dev.slipway.controller.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.testing.SettableClock;
import dev.slipway.controller.testing.MockCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one leader acts only until renewDeadline after the last renewal of its lease it read back, by
 * its own clock: a leader frozen past its lease wakes unable to act, whatever its elector believes.
 */
class LeaseFenceTest {
  static final Duration RENEW = Duration.ofSeconds(10);
  final MockCluster cluster = new MockCluster();
  final LeaderElection election =
      LeaderElection.of(
              Optional.of("slipway-system"),
              Optional.of("slipway-0"),
              Duration.ofSeconds(15),
              RENEW,
              Duration.ofSeconds(2))
          .orElseThrow();
  final Instant start = Instant.parse("2026-12-08T00:00:00Z");
  final SettableClock clock = new SettableClock(start);
  final LeaseFence fence = new LeaseFence(cluster.client, election, clock);

  @AfterEach
  void down() {
    fence.close();
    cluster.close();
  }

  void lease(String holder, Instant renewed) {
    Lease l =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(LeaderElection.LEASE_NAME)
            .withNamespace("slipway-system")
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds(15)
            .withRenewTime(renewed.atZone(ZoneOffset.UTC))
            .endSpec()
            .build();
    cluster.client.resource(l).createOr(e -> e.update());
  }

  @Test
  void actsUntilRenewDeadlineAfterTheLastRenewalReadBack() {
    assertFalse(fence.holds(), "nothing read yet");
    lease(election.identity(), start);
    fence.read();
    assertTrue(fence.holds());
    clock.advance(RENEW.minusMillis(1));
    assertTrue(fence.holds());
    clock.advance(Duration.ofMillis(1));
    assertFalse(fence.holds(), "renewDeadline passed with no renewal read back");
  }

  @Test
  void aLeaderFrozenPastItsLeaseWakesUnableToAct() {
    lease(election.identity(), start);
    fence.read();
    // Frozen for 20 s; meanwhile another replica took the lease. Woken, its passes ask before the
    // next read.
    clock.advance(Duration.ofSeconds(20));
    lease("slipway-1_abcd", clock.instant().minusSeconds(4));
    assertFalse(fence.holds());
    fence.read();
    assertFalse(fence.holds(), "the lease names another");
  }

  @Test
  void aFailedReadKeepsTheLastRenewalWhichLapsesByItself() {
    lease(election.identity(), start);
    fence.read();
    cluster.close();
    clock.advance(Duration.ofSeconds(3));
    fence.read();
    assertTrue(fence.holds(), "3 s after its renewal");
    clock.advance(Duration.ofSeconds(8));
    fence.read();
    assertFalse(fence.holds(), "the API server away for its whole renew deadline");
  }

  @Test
  void anotherHolderOrNoLeaseIsNotHeld() {
    fence.read();
    assertFalse(fence.holds(), "no lease");
    lease("slipway-1_abcd", start);
    fence.read();
    assertFalse(fence.holds());
  }
}
