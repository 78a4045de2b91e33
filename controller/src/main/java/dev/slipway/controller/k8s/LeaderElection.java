package dev.slipway.controller.k8s;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Leader election settings and what this replica knows about the lease.
 *
 * <p>The identity is the pod name plus a per-process suffix (as client-go does): two processes
 * that share a hostname, or a restarted pod that keeps its name, must never both believe they
 * hold the same lease. A replica that stops leading exits, so an old leader never keeps acting
 * (Argo Rollouts #2117); every write it could still have in flight is pinned to a resourceVersion.
 */
public final class LeaderElection {
  public static final String LEASE_NAME = "slipway-controller";

  private final String namespace;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration retryPeriod;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<String> leader = new AtomicReference<>("");

  LeaderElection(String namespace, String identity, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    if (!(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0 && !retryPeriod.isNegative()
        && !retryPeriod.isZero())) {
      throw new IllegalArgumentException("leader election needs lease-duration > renew-deadline > retry-period > 0, got "
          + leaseDuration + ", " + renewDeadline + ", " + retryPeriod);
    }
    this.namespace = namespace;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
    this.retryPeriod = retryPeriod;
  }

  /** Empty when no lease namespace is configured: a single replica that always acts. */
  public static Optional<LeaderElection> of(Optional<String> namespace, Optional<String> podName, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod) {
    return namespace.filter(ns -> !ns.isBlank()).map(ns -> new LeaderElection(ns,
        podName.filter(p -> !p.isBlank()).orElse("slipway") + "_" + UUID.randomUUID().toString().substring(0, 8),
        leaseDuration, renewDeadline, retryPeriod));
  }

  LeaderElectionConfiguration configuration() {
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), leader::set);
    return new LeaderElectionConfiguration(LEASE_NAME, namespace, leaseDuration, renewDeadline, retryPeriod, identity,
        callbacks, true);
  }

  public String namespace() {
    return namespace;
  }

  public String identity() {
    return identity;
  }

  public boolean leading() {
    return leading.get();
  }

  /** The holder this replica last saw, empty before the first observation. */
  public String leader() {
    return leader.get();
  }

  @Override
  public String toString() {
    return "lease " + LEASE_NAME + " in " + namespace + " as " + identity + " (duration " + leaseDuration + ", renew deadline "
        + renewDeadline + ", retry " + retryPeriod + ")";
  }
}
