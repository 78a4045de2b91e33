package dev.slipway.controller.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  static final Duration LEASE = Duration.ofSeconds(15),
      RENEW = Duration.ofSeconds(10),
      RETRY = Duration.ofSeconds(2);

  @Test
  void offWithoutANamespace() {
    assertTrue(
        LeaderElection.of(Optional.empty(), Optional.of("pod"), LEASE, RENEW, RETRY).isEmpty());
    assertTrue(
        LeaderElection.of(Optional.of(" "), Optional.of("pod"), LEASE, RENEW, RETRY).isEmpty());
  }

  @Test
  void twoProcessesOfOnePodNeverShareAnIdentity() {
    LeaderElection a =
        LeaderElection.of(
                Optional.of("slipway-system"), Optional.of("slipway-0"), LEASE, RENEW, RETRY)
            .orElseThrow();
    LeaderElection b =
        LeaderElection.of(
                Optional.of("slipway-system"), Optional.of("slipway-0"), LEASE, RENEW, RETRY)
            .orElseThrow();
    assertTrue(a.identity().startsWith("slipway-0_"), a.identity());
    assertNotEquals(a.identity(), b.identity());
    assertTrue(
        LeaderElection.of(Optional.of("ns"), Optional.empty(), LEASE, RENEW, RETRY)
            .orElseThrow()
            .identity()
            .startsWith("slipway_"));
    assertEquals("slipway-controller", a.configuration(new ActingGuard()).getLeaseName());
    assertTrue(
        !a.configuration(new ActingGuard()).isExitOnStopLeading(),
        "we exit ourselves on a lost lease, never from inside a shutdown");
  }

  @Test
  void timingsMustLeaveRoomToRenew() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LeaderElection.of(
                    Optional.of("ns"),
                    Optional.of("p"),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    RETRY));
    assertTrue(
        e.getMessage().contains("lease-duration > renew-deadline > retry-period"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> LeaderElection.of(Optional.of("ns"), Optional.of("p"), LEASE, RENEW, Duration.ZERO));
  }
}
