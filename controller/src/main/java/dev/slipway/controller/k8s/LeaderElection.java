package dev.slipway.controller.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election settings and what this replica knows about the lease.
 *
 * <p>The identity is the pod name plus a per-process suffix (as client-go does): two processes that
 * share a hostname, or a restarted pod that keeps its name, must never both believe they hold the
 * same lease. A replica that stops leading exits, so an old leader never keeps acting (Argo
 * Rollouts #2117); every write it could still have in flight is pinned to a resourceVersion.
 */
public final class LeaderElection {
  public static final String LEASE_NAME = "slipway-controller";

  private final String namespace;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration retryPeriod;
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  private final AtomicReference<String> leader = new AtomicReference<>("");

  LeaderElection(
      String namespace,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    requireOrdered("leader election", "retry-period", leaseDuration, renewDeadline, retryPeriod);
    this.namespace = namespace;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
    this.retryPeriod = retryPeriod;
  }

  /**
   * A Lease's timings must nest: it is renewed every {@code period}, a holder stops acting when it
   * has not renewed for {@code renewDeadline}, and others take it after {@code leaseDuration}.
   */
  static void requireOrdered(
      String who,
      String periodName,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration period) {
    if (!(leaseDuration.compareTo(renewDeadline) > 0
        && renewDeadline.compareTo(period) > 0
        && !period.isNegative()
        && !period.isZero())) {
      throw new IllegalArgumentException(
          who
              + " needs lease-duration > renew-deadline > "
              + periodName
              + " > 0, got "
              + leaseDuration
              + ", "
              + renewDeadline
              + ", "
              + period);
    }
  }

  /** Empty when no lease namespace is configured: a single replica that always acts. */
  public static Optional<LeaderElection> of(
      Optional<String> namespace,
      Optional<String> podName,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    return namespace
        .filter(ns -> !ns.isBlank())
        .map(
            ns ->
                new LeaderElection(
                    ns,
                    podName.filter(p -> !p.isBlank()).orElse("slipway")
                        + "_"
                        + UUID.randomUUID().toString().substring(0, 8),
                    leaseDuration,
                    renewDeadline,
                    retryPeriod));
  }

  LeaderElectionConfiguration configuration(ActingGuard guard) {
    return configuration(guard, () -> true, () -> {});
  }

  /**
   * @param apiAnswers whether the API server answers now: a replica that lost its lease exits only
   *     then
   * @param fence reads the lease just taken, so that the first passes find it fresh (see {@link
   *     LeaseFence})
   */
  LeaderElectionConfiguration configuration(
      ActingGuard guard, BooleanSupplier apiAnswers, Runnable fence) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              fence.run();
              guard.leads(true);
            },
            () -> stoppedLeading(guard, apiAnswers),
            leader::set);
    // Not JOSDK's exit-on-stop-leading: it calls System.exit from inside our own shutdown, which
    // never returns, so a SIGTERMed leader hung until it was killed.
    return new LeaderElectionConfiguration(
        LEASE_NAME,
        namespace,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        identity,
        callbacks,
        false);
  }

  /**
   * Lost the lease while running: stop acting at once, and exit (so an old leader never keeps
   * acting) once the API server answers again. A lease lost to an API server outage would otherwise
   * restart the pod into the same outage, where start-up fails and the kubelet backs off: a restart
   * loop. Waiting, the pod is merely unready; it restarts once, into a working API server, and
   * leads or stands by within a lease duration. During shutdown: nothing to do.
   */
  private void stoppedLeading(ActingGuard guard, BooleanSupplier apiAnswers) {
    guard.leads(false);
    if (guard.stopping()) return;
    LOG.warn(
        "lost lease {} ({}); not acting, and exiting once the API server answers so that only the new leader acts",
        LEASE_NAME,
        identity);
    Thread exit =
        new Thread(
            () -> {
              while (!guard.stopping() && !answers(apiAnswers)) {
                try {
                  Thread.sleep(retryPeriod.toMillis());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  break;
                }
              }
              if (!guard.stopping()) {
                LOG.warn("the API server answers; exiting to start again as a standby");
                System.exit(1);
              }
            },
            "lost-lease-exit");
    exit.setDaemon(true);
    exit.start();
  }

  private static boolean answers(BooleanSupplier apiAnswers) {
    try {
      return apiAnswers.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  public String namespace() {
    return namespace;
  }

  public String identity() {
    return identity;
  }

  Duration renewDeadline() {
    return renewDeadline;
  }

  /** Whether the lease (null: none) names {@code identity} its holder. */
  static boolean heldBy(Lease lease, String identity) {
    return lease != null
        && lease.getSpec() != null
        && identity.equals(lease.getSpec().getHolderIdentity());
  }

  /** The holder this replica last saw, empty before the first observation. */
  public String leader() {
    return leader.get();
  }

  /**
   * Hands the lease over at once, once this replica has stopped reconciling: a controller upgrade
   * (SIGTERM) then costs the standby one retry period instead of a whole lease duration. Pinned to
   * the resourceVersion read, and only while we still hold it, so it never frees someone else's.
   */
  public boolean release(KubernetesClient client, Clock clock) {
    // Not gated on leading: stopping the operator has already cancelled our elector.
    try {
      var leases = client.leases().inNamespace(namespace).withName(LEASE_NAME);
      Lease lease = leases.get();
      if (!heldBy(lease, identity)) return false;
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
      client.resource(lease).update();
      return true;
    } catch (KubernetesClientException e) {
      // Someone took it meanwhile, or the API is away: the lease then simply expires.
      return false;
    }
  }

  @Override
  public String toString() {
    return "lease "
        + LEASE_NAME
        + " in "
        + namespace
        + " as "
        + identity
        + " (duration "
        + leaseDuration
        + ", renew deadline "
        + renewDeadline
        + ", retry "
        + retryPeriod
        + ")";
  }
}
