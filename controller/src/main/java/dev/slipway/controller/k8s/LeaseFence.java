package dev.slipway.controller.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing for the one leader's lease, as {@link ShardLeases} fences shards: the leader acts only
 * until renewDeadline after the last renewal of its lease it has read back, by its own clock.
 *
 * <p>fabric8's elector says when leading starts and stops, not when it renews. A leader frozen past
 * its lease (SIGSTOP, a long GC pause, a paused VM) wakes still leading in its own eyes, and its
 * passes run on before the elector finds the lease taken: they would act beside the new leader.
 * Here a read of the lease every retry period keeps the renewTime this replica's elector last wrote
 * (its own clock's time, never another's), and a pass on a woken leader finds it too old.
 */
final class LeaseFence implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseFence.class);
  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Duration renewDeadline;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lease-fence");
            t.setDaemon(true);
            return t;
          });

  /** The renewTime of the last read that found this replica holding the lease; null: none. */
  private volatile Instant renewed;

  /** Whether the last answer of {@link #holds} was no: it is logged when it turns. */
  private final AtomicBoolean lapsed = new AtomicBoolean(true);

  LeaseFence(KubernetesClient client, LeaderElection election, Clock clock) {
    this.client = client;
    this.namespace = election.namespace();
    this.identity = election.identity();
    this.renewDeadline = election.renewDeadline();
    this.clock = clock;
  }

  /** Reads the lease every {@code period} while {@code leading} says so. */
  LeaseFence start(Duration period, BooleanSupplier leading) {
    // read() never throws, so the schedule's future would only ever say it was cancelled.
    var unused =
        timer.scheduleWithFixedDelay(
            () -> {
              if (leading.getAsBoolean()) read();
            },
            period.toMillis(),
            period.toMillis(),
            TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Reads the lease once. A read that fails keeps what the last one found, which lapses by itself:
   * a leader cut off from the API server stops acting renewDeadline after its last renewal, before
   * anyone may take the lease.
   */
  void read() {
    try {
      renewed =
          renewedBy(
              client.leases().inNamespace(namespace).withName(LeaderElection.LEASE_NAME).get(),
              identity);
    } catch (RuntimeException e) {
      LOG.debug("lease {} not read: {}", LeaderElection.LEASE_NAME, e.getMessage());
    }
  }

  /** The lease's renewTime when it names {@code identity} its holder; null otherwise. */
  static Instant renewedBy(Lease lease, String identity) {
    if (!LeaderElection.heldBy(lease, identity)) return null;
    ZonedDateTime t = lease.getSpec().getRenewTime();
    return t == null ? null : t.toInstant();
  }

  /** Whether this replica's last renewal it has read back is less than renewDeadline old. */
  boolean holds() {
    Instant r = renewed;
    boolean holds = r != null && clock.instant().isBefore(r.plus(renewDeadline));
    if (lapsed.compareAndSet(holds, !holds) && !holds && r != null) {
      LOG.warn(
          "lease {} last renewed at {}, over {} ago: not acting until a renewal is read back",
          LeaderElection.LEASE_NAME,
          r,
          renewDeadline);
    }
    return holds;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
