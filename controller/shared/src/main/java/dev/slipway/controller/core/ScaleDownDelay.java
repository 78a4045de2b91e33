package dev.slipway.controller.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Pods that have just lost their traffic stay up for spec.strategy.canary.scaleDownDelay. A gateway
 * reports a route Accepted when it has computed the new configuration, not when its data plane
 * serves it (Traefik throttles applying provider changes, Envoy-based gateways push xDS
 * asynchronously), and Service endpoint changes reach it later still: requests routed in between
 * must still find their pods. Measured through a real Traefik: scaling an aborted canary down at
 * the moment weight 0 was accepted cost 502s; with the delay, none.
 */
final class ScaleDownDelay {
  private ScaleDownDelay() {}

  /**
   * Starts the delay the first time it is asked after the traffic moved (status.scaleDownAt keeps
   * it across restarts) and answers whether it is over; while it is not, says so and wakes up then.
   */
  static boolean over(RolloutDecider.Ctx c, String whose) {
    Draft d = c.d();
    Duration delay = c.spec().strategy().plan().scaleDownDelayOrDefault();
    if (delay.isZero()) {
      return true;
    }
    if (d.s.scaleDownAt == null) {
      d.s.scaleDownAt = d.now.plus(delay).toString();
    }
    Instant at = Instant.parse(d.s.scaleDownAt);
    if (!d.now.isBefore(at)) {
      return true;
    }
    d.s.message =
        "traffic moved off "
            + whose
            + "; its pods stay until "
            + at
            + " (scaleDownDelay "
            + delay.toSeconds()
            + "s), for requests the gateway routed before it applied the change";
    d.requeueIn(Duration.between(d.now, at));
    return false;
  }

  /** Forgets a finished delay, so the next move starts its own. */
  static void reset(Draft d) {
    d.s.scaleDownAt = null;
  }

  /**
   * A newer revision replaces the one in flight: a delay still running belongs to pods that lost
   * their traffic moments ago (a canary aborted just before), and carries over to them as
   * status.replacedScaleDownAt, while the newcomer's moves start delays of their own.
   */
  static void handOver(Draft d) {
    if (d.s.scaleDownAt != null && d.now.isBefore(Instant.parse(d.s.scaleDownAt))) {
      d.s.replacedScaleDownAt = d.s.scaleDownAt;
    }
    reset(d);
  }

  /**
   * Whether pods of a replaced revision may go: until its carried-over delay is over they stay, for
   * the requests the gateway still sends them, and the Rollout wakes up when it is.
   */
  static boolean replacedOver(RolloutDecider.Ctx c) {
    Draft d = c.d();
    if (d.s.replacedScaleDownAt == null) {
      return true;
    }
    Instant at = Instant.parse(d.s.replacedScaleDownAt);
    if (d.now.isBefore(at)) {
      d.requeueIn(Duration.between(d.now, at));
      return false;
    }
    d.s.replacedScaleDownAt = null;
    return true;
  }
}
