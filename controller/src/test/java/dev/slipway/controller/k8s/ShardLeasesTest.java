package dev.slipway.controller.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.controller.testing.MockCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shards over Leases against an API server stand-in, ticked by hand on a clock the test moves: a
 * replica alone holds every shard; one that joins takes only its share, handed over only once the
 * old holder's passes have finished; no shard is ever acted on by two replicas; one that stops
 * renewing stops acting before anyone may take its shards, and they are taken after the lease
 * duration.
 */
class ShardLeasesTest {
  static final Duration LEASE = Duration.ofSeconds(8);
  static final Duration RENEW = Duration.ofSeconds(5);
  final MockCluster cluster = new MockCluster();
  Instant now = Instant.parse("2026-12-07T00:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /** A replica's listener: what it was told, and whether its passes have finished. */
  static final class Replica implements ShardLeases.Listener {
    final List<String> told = new ArrayList<>();
    final Set<Integer> busy = new HashSet<>();
    ShardLeases leases;

    @Override
    public void taking(int shard) {
      told.add("taking " + shard);
    }

    @Override
    public void acquired(int shard) {
      told.add("acquired " + shard);
    }

    @Override
    public boolean drained(int shard) {
      return !busy.contains(shard);
    }

    @Override
    public void released(int shard) {
      told.add("released " + shard);
    }
  }

  @AfterEach
  void down() {
    cluster.close();
  }

  Replica replica(String member) {
    Replica r = new Replica();
    r.leases =
        new ShardLeases(
            cluster.client,
            "slipway-system",
            member,
            member + "_x",
            3,
            LEASE,
            RENEW,
            Duration.ofMillis(500),
            clock,
            r);
    return r;
  }

  @Test
  void aJoiningReplicaTakesItsShareOnlyOnceTheOldHoldersPassesHaveFinished() {
    Replica a = replica("slipway-0");
    a.leases.tick();
    assertEquals(Set.of(0, 1, 2), a.leases.held(), "alone, it holds every shard");
    assertEquals(
        List.of("taking 0", "acquired 0", "taking 1", "acquired 1", "taking 2", "acquired 2"),
        a.told);

    Replica b = replica("slipway-1");
    b.leases.tick(); // heartbeat: a sees b next
    Set<Integer> bShare = new HashSet<>();
    for (int s = 0; s < 3; s++)
      if ("slipway-1".equals(Shards.owner(s, List.of("slipway-0", "slipway-1")))) bShare.add(s);
    assertFalse(bShare.isEmpty(), "rendezvous gives the second replica some shard");
    // a's passes on b's share are still running: a stops acting but keeps the Lease.
    a.busy.addAll(bShare);
    step(a, b);
    for (int s : bShare) {
      assertFalse(a.leases.holds(s), "a acts no more for " + s);
      assertFalse(b.leases.holds(s), "b waits for a's passes on " + s);
    }
    a.busy.clear();
    step(a, b);
    step(a, b);
    assertEquals(bShare, b.leases.held());
    Set<Integer> aShare = new HashSet<>(Set.of(0, 1, 2));
    aShare.removeAll(bShare);
    assertEquals(aShare, a.leases.held(), "a keeps the rest");
    for (int s : bShare) assertTrue(a.told.contains("released " + s));
  }

  @Test
  void aReplicaThatStopsRenewingStopsActingBeforeItsShardsAreTaken() {
    Replica a = replica("slipway-0");
    Replica b = replica("slipway-1");
    a.leases.tick();
    b.leases.tick();
    for (int i = 0; i < 4; i++) step(a, b);
    Set<Integer> aHeld = a.leases.held();
    assertFalse(aHeld.isEmpty());
    // a is cut off (or dead): only b ticks.
    Instant lastRenewal = now;
    while (Duration.between(lastRenewal, now).compareTo(LEASE.plusSeconds(2)) < 0) {
      now = now.plusMillis(500);
      b.leases.tick();
      boolean aActs = !a.leases.held().isEmpty();
      boolean bTookAny = b.leases.held().stream().anyMatch(aHeld::contains);
      assertFalse(aActs && bTookAny, "never both acting for a shard, at " + now);
      if (Duration.between(lastRenewal, now).compareTo(RENEW) >= 0)
        assertFalse(aActs, "a stops acting at its renew deadline");
    }
    assertEquals(Set.of(0, 1, 2), b.leases.held(), "b took a's shards after the lease duration");
  }

  @Test
  void aShardRenewedAfterItsDeadlineHasItsRolloutsReconciledAgain() {
    Replica a = replica("slipway-0");
    a.leases.tick();
    a.told.clear();
    // The tick starved past the renew deadline: a stops acting (passes are skipped meanwhile).
    now = now.plus(RENEW).plusMillis(100);
    assertEquals(Set.of(), a.leases.held());
    // Renewed before the lease expired: still a's, and every shard's Rollouts are woken again.
    a.leases.tick();
    assertEquals(Set.of(0, 1, 2), a.leases.held());
    assertEquals(List.of("acquired 0", "acquired 1", "acquired 2"), a.told);
  }

  private void step(Replica... replicas) {
    now = now.plusMillis(500);
    for (Replica r : replicas) r.leases.tick();
  }
}
