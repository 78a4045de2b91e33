package dev.slipway.controller.metrics;

import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * What operators alert on, derived from each pass's status change and actions (never from extra API
 * calls): per-Rollout phase, step and weights; transitions, analysis verdicts and reconcile
 * outcomes; and the time from a rollback decision until the gateway verifiably carries no canary
 * traffic. Per-Rollout series are removed when the Rollout is deleted, so a long-running controller
 * does not grow with every Rollout it ever saw.
 */
public final class RolloutMetrics {
  private final MeterRegistry registry;
  private final Map<Key, Live> live = new ConcurrentHashMap<>();
  private final Timer rollbackTraffic;
  // Looked up once per name and tags: a pass records without building meters again.
  private final Map<String, Timer> reconcileByOutcome = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * Where a Rollout's gauges are registered and its series removed, in order. Micrometer registers
   * meters under one lock: on a restart every Rollout's first pass registered seven at once, and
   * passes waited on that lock (a flight recording at 3,000 Rollouts: 444 waits of 50 ms on
   * average). Passes hand it to one thread instead and never wait; the series follow within
   * moments.
   */
  private final Executor registrar;

  public RolloutMetrics(MeterRegistry registry) {
    this(registry, registrarThread());
  }

  RolloutMetrics(MeterRegistry registry, Executor registrar) {
    this.registry = registry;
    this.registrar = registrar;
    this.rollbackTraffic =
        Timer.builder("slipway.rollback.traffic")
            .description(
                "From the decision to roll back until every route verifiably carries canary weight 0")
            .publishPercentileHistogram()
            .register(registry);
  }

  /** For tests and tools that need no export. */
  public static RolloutMetrics inMemory() {
    return new RolloutMetrics(new SimpleMeterRegistry(), Runnable::run);
  }

  private static Executor registrarThread() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "rollout-metrics");
          t.setDaemon(true);
          return t;
        });
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * One pass of one Rollout: what it was, what it became, what was done, how long it took, how it
   * ended.
   */
  public void pass(
      String namespace,
      String name,
      RolloutStatus before,
      RolloutStatus after,
      List<Action> actions,
      Instant now,
      Duration took,
      String outcome) {
    pass(namespace, name, before, after, actions, now, took, outcome, null);
  }

  /**
   * With the commit time the Rollout carries (slipway.dev/commit-time), for DORA: deployments and
   * change failures per Rollout, lead time (commit to Stable) and time to restore (a rollback to
   * the next Stable; remembered in memory only, so a restart in between loses that one sample;
   * `kubectl slipway dora` computes it from the evidence instead).
   */
  public void pass(
      String namespace,
      String name,
      RolloutStatus before,
      RolloutStatus after,
      List<Action> actions,
      Instant now,
      Duration took,
      String outcome,
      Instant commitTime) {
    reconcileByOutcome
        .computeIfAbsent(
            outcome,
            o ->
                Timer.builder("slipway.reconcile")
                    .description(
                        "Time of one reconcile pass: read, decide, record evidence, act, write status")
                    .publishPercentileHistogram()
                    .tags("outcome", o)
                    .register(registry))
        .record(took);
    if (after == null) {
      return;
    }
    Key key = new Key(namespace, name);
    Live l = live.get(key);
    if (l == null) {
      Live fresh = new Live();
      l = live.putIfAbsent(key, fresh);
      if (l == null) {
        l = fresh;
        registrar.execute(() -> register(key, fresh));
      }
    }
    l.phase = after.phase();
    l.step = after.currentStepIndex() == null ? -1 : after.currentStepIndex();
    l.desired = after.desiredWeight() == null ? 0 : after.desiredWeight();
    l.verified = after.verifiedWeight() == null ? -1 : after.verifiedWeight();
    for (Action a : actions) {
      if (a instanceof Action.RecordTransition t) {
        String from = t.from() == null ? "None" : t.from().name();
        l.counter(
                registry,
                "slipway.transitions",
                "State-machine transitions of revision attempts",
                namespace,
                name,
                "from",
                from,
                "to",
                t.to().name())
            .increment();
        if (t.to() == RevisionState.RolledBack && l.rollbackSince == null) {
          l.rollbackSince = now;
        }
        dora(namespace, name, l, t, now, commitTime);
      }
    }
    if (l.rollbackSince != null && after.state() != RevisionState.RolledBack) {
      l.rollbackSince = null;
    } else if (l.rollbackSince != null && Integer.valueOf(0).equals(after.verifiedWeight())) {
      rollbackTraffic.record(Duration.between(l.rollbackSince, now));
      l.rollbackSince = null;
    }
    for (String v : newVerdicts(before, after)) {
      int eq = v.indexOf('=');
      l.counter(
              registry,
              "slipway.analysis.verdicts",
              "Analysis runs finished, by verdict",
              namespace,
              name,
              "verdict",
              eq < 0 ? v : v.substring(eq + 1))
          .increment();
    }
  }

  private void dora(
      String namespace,
      String name,
      Live l,
      Action.RecordTransition t,
      Instant now,
      Instant commitTime) {
    if (t.to() == RevisionState.Stable) {
      if (l.deployments == null) {
        l.deployments =
            Counter.builder("slipway.dora.deployments")
                .description("Revision attempts that became Stable (DORA deployments)")
                .tags("namespace", namespace, "rollout", name)
                .register(registry);
        l.meters.add(l.deployments);
      }
      l.deployments.increment();
      if (commitTime != null && !commitTime.isAfter(now)) {
        timer(
                "slipway.dora.lead.time",
                "From the commit (slipway.dev/commit-time) to Stable",
                namespace)
            .record(Duration.between(commitTime, now));
      }
      if (l.failedAt != null) {
        timer("slipway.dora.restore", "From a rollback to the Rollout's next Stable", namespace)
            .record(Duration.between(l.failedAt, now));
        l.failedAt = null;
      }
    } else if (t.to() == RevisionState.RolledBack) {
      if (l.failures == null) {
        l.failures =
            Counter.builder("slipway.dora.change.failures")
                .description("Revision attempts rolled back (DORA change failures)")
                .tags("namespace", namespace, "rollout", name)
                .register(registry);
        l.meters.add(l.failures);
      }
      l.failures.increment();
      if (l.failedAt == null) {
        l.failedAt = now;
      }
    }
  }

  private Timer timer(String name, String description, String namespace) {
    return timers.computeIfAbsent(
        name + "\u0000" + namespace,
        k ->
            Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .tags("namespace", namespace)
                .register(registry));
  }

  /** The Rollout is gone: drop its series. */
  public void forget(String namespace, String name) {
    Live l = live.remove(new Key(namespace, name));
    if (l != null) {
      // After its registration, which the same thread runs first.
      registrar.execute(() -> l.meters.forEach(registry::remove));
    }
  }

  /** Number of Rollouts with live series (for tests and the capacity benchmark). */
  public int tracked() {
    return live.size();
  }

  private static List<String> newVerdicts(RolloutStatus before, RolloutStatus after) {
    List<String> next = after.analysisVerdicts() == null ? List.of() : after.analysisVerdicts();
    Set<String> old = new HashSet<>();
    if (before != null
        && before.analysisVerdicts() != null
        && Objects.equals(before.canaryRevision(), after.canaryRevision())
        && Objects.equals(before.attempt(), after.attempt())) {
      old.addAll(before.analysisVerdicts());
    }
    return next.stream().filter(v -> !old.contains(v)).toList();
  }

  private void register(Key k, Live l) {
    if (live.get(k) != l) {
      return; // forgotten before its turn
    }
    Tags tags = Tags.of("namespace", k.namespace(), "rollout", k.name());
    for (Phase p : Phase.values()) {
      l.meters.add(
          Gauge.builder("slipway.rollout.phase", l, x -> x.phase == p ? 1 : 0)
              .description("1 for the Rollout's current phase (Argo CD health), 0 for the others")
              .tags(tags)
              .tag("phase", p.name())
              .register(registry));
    }
    l.meters.add(
        Gauge.builder("slipway.rollout.step", l, x -> x.step)
            .description("Current canary step index; -1 when none")
            .tags(tags)
            .register(registry));
    l.meters.add(
        Gauge.builder("slipway.rollout.canary.weight", l, x -> x.desired)
            .description("Canary weight the controller wants")
            .tags(tags)
            .tag("kind", "desired")
            .register(registry));
    l.meters.add(
        Gauge.builder("slipway.rollout.canary.weight", l, x -> x.verified)
            .description(
                "Canary weight the routes carry and their gateways accepted; -1 when unverified")
            .tags(tags)
            .tag("kind", "verified")
            .register(registry));
  }

  private record Key(String namespace, String name) {}

  /** The last pass's view of one Rollout, read by its gauges. */
  private static final class Live {
    final List<Meter> meters = new CopyOnWriteArrayList<>();
    volatile Phase phase;
    volatile int step = -1;
    volatile int desired;
    volatile int verified = -1;
    volatile Instant rollbackSince;
    volatile Instant failedAt;
    Counter deployments;
    Counter failures;

    /**
     * This Rollout's labelled counters, so that they leave with it: cardinality bounded by live
     * Rollouts.
     */
    final Map<String, Counter> counters = new ConcurrentHashMap<>();

    Counter counter(
        MeterRegistry registry,
        String name,
        String description,
        String namespace,
        String rollout,
        String... tags) {
      return counters.computeIfAbsent(
          name + String.join("\u0000", tags),
          k -> {
            Counter c =
                Counter.builder(name)
                    .description(description)
                    .tags("namespace", namespace, "rollout", rollout)
                    .tags(tags)
                    .register(registry);
            meters.add(c);
            return c;
          });
    }
  }
}
