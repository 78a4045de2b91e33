package dev.slipway.controller.k8s;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shards over Kubernetes Leases: one Lease per shard ({@code slipway-shard-N}) and one per replica
 * ({@code slipway-member-POD}, its heartbeat), all in the controller's namespace. Each tick a
 * replica renews its heartbeat, reads every Lease of the set in one list, and for each shard works
 * out who should hold it ({@link Shards#owner}, among the replicas whose heartbeat is alive): it
 * renews the shards it holds and should, hands over (stops acting, waits for its passes, frees the
 * Lease) those another replica should hold, and takes the shards it should hold once free or
 * expired.
 *
 * <p>Fencing as client-go's leader election does it: a Lease is expired when this replica has seen
 * it unchanged for its whole duration (its own clock, never another's timestamps), and a replica
 * acts for a shard only until renewDeadline after its last successful renewal, which is shorter: a
 * replica cut off from the API server stops acting before anyone may take its shards.
 */
public final class ShardLeases implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardLeases.class);
  public static final String SET_LABEL = "slipway.dev/lease-set";
  static final String SET = "shards";

  /** What this replica is told as shards come and go. */
  public interface Listener {
    /**
     * About to be acted on: forget what memory says about its Rollouts (another replica may have
     * moved them on). Called before this replica acts for the shard.
     */
    void taking(int shard);

    /** Now held and acted on: reconcile each of its Rollouts once. */
    void acquired(int shard);

    /**
     * Handing over: no longer acting for it (already); whether its passes in flight have all
     * finished, so that its Lease may be freed. Asked each tick until it says so.
     */
    boolean drained(int shard);

    /** No longer held (handed over, or lost): forget its Rollouts. */
    void released(int shard);
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String member;
  private final String identity;
  private final int count;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration tick;
  private final Clock clock;
  private final Listener listener;

  /** Shards held, with this replica's clock at their last successful renewal. */
  private final Map<Integer, Instant> held = new ConcurrentHashMap<>();

  /**
   * Shards being handed over: no longer acted for, their Lease still renewed until their passes in
   * flight have finished, so that the next holder never writes beside one of ours.
   */
  private final Set<Integer> draining = ConcurrentHashMap.newKeySet();

  /** Per Lease name: its holder and renew time as last seen, and when we saw them change. */
  private final Map<String, Seen> seen = new HashMap<>();

  private ScheduledExecutorService timer;

  private record Seen(String record, Instant at) {}

  /**
   * @param member this replica's stable name (the pod's): a replica restarted under the same name
   *     is given back the same shards
   * @param identity this process (member plus a suffix), as the Leases' holder
   */
  public ShardLeases(
      KubernetesClient client,
      String namespace,
      String member,
      String identity,
      int count,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration tick,
      Clock clock,
      Listener listener) {
    if (count < 1) throw new IllegalArgumentException("shard count must be at least 1: " + count);
    LeaderElection.requireOrdered("shards", "tick", leaseDuration, renewDeadline, tick);
    this.client = client;
    this.namespace = namespace;
    this.member = member;
    this.identity = identity;
    this.count = count;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
    this.tick = tick;
    this.clock = clock;
    this.listener = listener;
  }

  public static String shardLease(int shard) {
    return "slipway-shard-" + shard;
  }

  public static String memberLease(String member) {
    return "slipway-member-" + member;
  }

  public int count() {
    return count;
  }

  /** Whether this replica may act for {@code shard} now: held, and renewed recently enough. */
  public boolean holds(int shard) {
    Instant renewed = held.get(shard);
    return renewed != null && clock.instant().isBefore(renewed.plus(renewDeadline));
  }

  /** The shards held now, in order. */
  public Set<Integer> held() {
    Set<Integer> out = new TreeSet<>();
    for (int s = 0; s < count; s++) if (holds(s)) out.add(s);
    return out;
  }

  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "shard-leases");
              t.setDaemon(true);
              return t;
            });
    // safeTick never throws, so the schedule's future would only ever say it was cancelled.
    var unused =
        timer.scheduleWithFixedDelay(this::safeTick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The API server away: renewals fail, and holds() turns false once renewDeadline passes.
      LOG.warn("shard leases not renewed this time: {}", e.getMessage());
    }
  }

  /** One round: heartbeat, one list, then each shard renewed, handed over or taken. */
  synchronized void tick() {
    Instant now = clock.instant();
    Map<String, Lease> leases = new HashMap<>();
    for (Lease l :
        client.leases().inNamespace(namespace).withLabel(SET_LABEL, SET).list().getItems()) {
      leases.put(l.getMetadata().getName(), l);
      observe(l, now);
    }
    heartbeat(leases.get(memberLease(member)), now);
    List<String> alive = new ArrayList<>();
    alive.add(member);
    for (Lease l : leases.values()) {
      String name = l.getMetadata().getName();
      if (!name.startsWith("slipway-member-")) continue;
      String m = name.substring("slipway-member-".length());
      if (!m.equals(member) && holder(l) != null && !expired(l, now)) alive.add(m);
    }
    for (int s = 0; s < count; s++) {
      Lease l = leases.get(shardLease(s));
      String should = Shards.owner(s, alive);
      boolean mine = l != null && identity.equals(holder(l));
      if (mine && !member.equals(should)) {
        handOver(s, l, now);
      } else if (mine) {
        // Taken back while draining: memory first; the renewal then wakes its Rollouts.
        if (draining.remove(s)) listener.taking(s);
        renew(s, l, now);
      } else {
        draining.remove(s);
        if (held.remove(s) != null) {
          LOG.warn("shard {} lost to {}", s, l == null ? "nobody" : holder(l));
          listener.released(s);
        }
        if (member.equals(should) && (l == null || holder(l) == null || expired(l, now))) {
          take(s, l, now);
        }
      }
    }
  }

  /** This replica's heartbeat Lease, as the tick's list found it (null: not there yet). */
  private void heartbeat(Lease l, Instant now) {
    if (l == null) {
      try {
        client.resource(lease(memberLease(member), now)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
      return;
    }
    l.getSpec().setHolderIdentity(identity);
    l.getSpec().setLeaseDurationSeconds((int) leaseDuration.toSeconds());
    l.getSpec().setRenewTime(time(now));
    try {
      client.resource(l).update();
    } catch (KubernetesClientException e) {
      // Another process under this pod's name wrote it meanwhile: the next tick writes it again.
      if (e.getCode() != 409) throw e;
    }
  }

  private void renew(int s, Lease l, Instant now) {
    l.getSpec().setRenewTime(time(now));
    try {
      client.resource(l).update();
      if (!draining.contains(s)) {
        boolean lapsed = !holds(s);
        held.put(s, now);
        if (lapsed) {
          // Renewed late (a slow API server, a starved tick): still ours, as the pinned update
          // proves, but passes meanwhile were skipped and their events are gone. Each Rollout
          // is reconciled again.
          LOG.info("shard {}: renewed after its renew deadline; reconciling its Rollouts", s);
          listener.acquired(s);
        }
      }
    } catch (KubernetesClientException e) {
      // A conflict: someone wrote it meanwhile; the next tick reads who holds it.
      if (e.getCode() <= 0) throw e;
    }
  }

  private void take(int s, Lease l, Instant now) {
    try {
      if (l == null) {
        client.resource(lease(shardLease(s), now)).create();
      } else {
        l.getSpec().setHolderIdentity(identity);
        l.getSpec().setLeaseDurationSeconds((int) leaseDuration.toSeconds());
        l.getSpec().setAcquireTime(time(now));
        l.getSpec().setRenewTime(time(now));
        l.getSpec()
            .setLeaseTransitions(
                (l.getSpec().getLeaseTransitions() == null ? 0 : l.getSpec().getLeaseTransitions())
                    + 1);
        client.resource(l).update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return;
      throw e;
    }
    LOG.info("shard {} taken ({})", s, identity);
    // Memory first, then acting, then a pass for each: its Rollouts are read afresh.
    listener.taking(s);
    held.put(s, now);
    listener.acquired(s);
  }

  /**
   * Another replica should hold it: stop acting at once; keep the Lease (renewed, not acted on)
   * until the shard's passes in flight have finished, then free it. The tick never waits.
   */
  private void handOver(int s, Lease l, Instant now) {
    held.remove(s);
    draining.add(s);
    if (!listener.drained(s)) {
      renewKept(l, now);
      return;
    }
    draining.remove(s);
    free(l, now);
    listener.released(s);
    LOG.info("shard {} handed over", s);
  }

  private void renewKept(Lease l, Instant now) {
    l.getSpec().setRenewTime(time(now));
    try {
      client.resource(l).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) throw e;
    }
  }

  private void free(Lease l, Instant now) {
    l.getSpec().setHolderIdentity(null);
    l.getSpec().setLeaseDurationSeconds(1);
    l.getSpec().setRenewTime(time(now));
    try {
      client.resource(l).update();
    } catch (KubernetesClientException e) {
      // Taken meanwhile, or the API is away: it then simply expires.
      LOG.debug("lease {} not freed: {}", l.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Stops: hands every shard over at once and ends the heartbeat, so others take over in a tick.
   */
  @Override
  public synchronized void close() {
    if (timer != null) timer.shutdownNow();
    Instant now = clock.instant();
    try {
      for (Lease l :
          client.leases().inNamespace(namespace).withLabel(SET_LABEL, SET).list().getItems()) {
        if (!identity.equals(holder(l))) continue;
        String name = l.getMetadata().getName();
        if (name.startsWith("slipway-shard-")) {
          held.remove(Integer.parseInt(name.substring("slipway-shard-".length())));
        }
        free(l, now);
      }
    } catch (RuntimeException e) {
      LOG.warn("shard leases not freed on the way out (they expire): {}", e.getMessage());
    }
  }

  private void observe(Lease l, Instant now) {
    String record =
        holder(l)
            + "|"
            + (l.getSpec() == null ? null : l.getSpec().getRenewTime())
            + "|"
            + l.getMetadata().getResourceVersion();
    Seen before = seen.get(l.getMetadata().getName());
    if (before == null || !before.record().equals(record)) {
      seen.put(l.getMetadata().getName(), new Seen(record, now));
    }
  }

  /** Unchanged, as this replica has seen it, for longer than its duration. */
  private boolean expired(Lease l, Instant now) {
    Seen s = seen.get(l.getMetadata().getName());
    Integer secs = l.getSpec() == null ? null : l.getSpec().getLeaseDurationSeconds();
    Duration d = secs == null ? leaseDuration : Duration.ofSeconds(secs);
    return s == null || !now.isBefore(s.at().plus(d));
  }

  private static String holder(Lease l) {
    String h = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    return h == null || h.isBlank() ? null : h;
  }

  private Lease lease(String name, Instant now) {
    Lease l = new Lease();
    l.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(SET_LABEL, SET)
            .build());
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(identity);
    spec.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
    spec.setAcquireTime(time(now));
    spec.setRenewTime(time(now));
    spec.setLeaseTransitions(0);
    l.setSpec(spec);
    return l;
  }

  private static ZonedDateTime time(Instant i) {
    return ZonedDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  @Override
  public String toString() {
    return count
        + " shards over leases in "
        + namespace
        + " as "
        + identity
        + " (duration "
        + leaseDuration
        + ", renew deadline "
        + renewDeadline
        + ", every "
        + tick
        + ")";
  }
}
