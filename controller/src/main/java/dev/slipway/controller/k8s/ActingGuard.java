package dev.slipway.controller.k8s;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.reconcile.Ownership;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Whether this replica may act on a Rollout right now: it leads (holds the lease, renewed less than
 * renewDeadline ago, or runs without leader election), holds the Rollout's shard when the Rollouts
 * are sharded, and is not shutting down. A reconcile checks it before it records or acts and before
 * it writes status, so a replica that just lost its lease or shard, or is on its way out, writes
 * nothing more, even with a pass in flight. It also counts each shard's passes in flight, so that a
 * shard is handed over only once they have finished. The one place these facts are kept.
 */
@Singleton
public final class ActingGuard implements BooleanSupplier, Predicate<Rollout>, Ownership {
  private volatile boolean leads;
  private volatile BooleanSupplier fresh = () -> true;
  private volatile boolean stopping;
  private volatile int shards = 1;
  private volatile IntPredicate holds = s -> true;
  private final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  void leads(boolean leads) {
    this.leads = leads;
  }

  public boolean leads() {
    return leads;
  }

  /**
   * Leading counts only while {@code fresh} says the lease was renewed recently enough ({@link
   * LeaseFence}): a leader that froze past its lease wakes leading in its elector's eyes.
   */
  void fencedBy(BooleanSupplier fresh) {
    this.fresh = fresh;
  }

  /** The Rollouts are split into {@code count} shards; this replica acts for those it holds. */
  void shardedBy(int count, IntPredicate holds) {
    this.holds = holds;
    this.shards = count;
  }

  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  @Override
  public boolean getAsBoolean() {
    return leads && !stopping && fresh.getAsBoolean();
  }

  /** Whether this replica may act on this Rollout now. */
  @Override
  public boolean test(Rollout r) {
    return getAsBoolean() && owns(r.getMetadata().getNamespace(), r.getMetadata().getName());
  }

  @Override
  public boolean owns(String namespace, String name) {
    return shards <= 1 || holds.test(Shards.of(namespace, name, shards));
  }

  @Override
  public Pass enter(String namespace, String name) {
    AtomicInteger n =
        inFlight.computeIfAbsent(Shards.of(namespace, name, shards), s -> new AtomicInteger());
    n.incrementAndGet();
    return n::decrementAndGet;
  }

  /** Whether no pass of the shard is in flight. */
  boolean idle(int shard) {
    AtomicInteger n = inFlight.get(shard);
    return n == null || n.get() == 0;
  }
}
