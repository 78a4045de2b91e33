package dev.slipway.controller.dora;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The four DORA metrics over a time range, per Rollout and per namespace, from revision attempts.
 * Pure. The formulas (the README spells them the same way):
 *
 * <ul>
 *   <li>deployments: attempts that became Stable within the range; frequency is that count over the
 *       range's days;
 *   <li>lead time: Stable minus the commit time, median over the deployments that carry one;
 *   <li>change failure rate: attempts RolledBack within the range (a canary or a post-promotion
 *       rollback) over those plus the deployments;
 *   <li>time to restore: from each such rollback to the Rollout's next Stable (up to the range's
 *       end), median; a rollback not yet followed by one counts as unrestored.
 * </ul>
 */
public final class Dora {
  private Dora() {}

  /** One scope's figures; durations in seconds, null where there is nothing to take a median of. */
  public record Row(
      String namespace,
      String rollout,
      int deployments,
      double deploymentsPerDay,
      Double leadTimeMedianSeconds,
      int leadTimeSamples,
      int failures,
      Double changeFailureRate,
      Double timeToRestoreMedianSeconds,
      int restored,
      int unrestored) {}

  public record Report(Instant since, Instant until, List<Row> rollouts, List<Row> namespaces) {}

  /** Per-namespace rows name rollout "*". */
  public static final String ALL = "*";

  public static Report compute(List<Attempt> attempts, Instant since, Instant until) {
    Map<String, List<Attempt>> byRollout = group(attempts, a -> a.namespace() + "/" + a.rollout());
    Map<String, List<Attempt>> byNamespace = group(attempts, Attempt::namespace);
    List<Row> rollouts = new ArrayList<>();
    byRollout
        .values()
        .forEach(
            as -> rollouts.add(row(as.get(0).namespace(), as.get(0).rollout(), as, since, until)));
    List<Row> namespaces = new ArrayList<>();
    byNamespace.forEach((ns, as) -> namespaces.add(row(ns, ALL, as, since, until)));
    return new Report(since, until, rollouts, namespaces);
  }

  private static Row row(
      String ns, String rollout, List<Attempt> attempts, Instant since, Instant until) {
    List<Attempt> deployed =
        attempts.stream().filter(a -> within(a.stableAt(), since, until)).toList();
    List<Attempt> failed =
        attempts.stream().filter(a -> within(a.rolledBackAt(), since, until)).toList();
    List<Double> lead =
        deployed.stream()
            .filter(a -> a.commitTime() != null && !a.commitTime().isAfter(a.stableAt()))
            .map(a -> seconds(a.commitTime(), a.stableAt()))
            .toList();
    List<Double> restore = new ArrayList<>();
    int unrestored = 0;
    for (Attempt f : failed) {
      // Restored by the next Stable of the same Rollout (in a namespace row, of that Rollout too).
      Instant next =
          attempts.stream()
              .filter(a -> a.rollout().equals(f.rollout()) && a.namespace().equals(f.namespace()))
              .map(Attempt::stableAt)
              .filter(t -> t != null && t.isAfter(f.rolledBackAt()) && !t.isAfter(until))
              .min(Comparator.naturalOrder())
              .orElse(null);
      if (next == null) {
        unrestored++;
      } else {
        restore.add(seconds(f.rolledBackAt(), next));
      }
    }
    double days = Math.max(Duration.between(since, until).toSeconds(), 1) / 86_400.0;
    int changes = deployed.size() + failed.size();
    return new Row(
        ns,
        rollout,
        deployed.size(),
        deployed.size() / days,
        median(lead),
        lead.size(),
        failed.size(),
        changes == 0 ? null : (double) failed.size() / changes,
        median(restore),
        restore.size(),
        unrestored);
  }

  private static boolean within(Instant t, Instant since, Instant until) {
    return t != null && !t.isBefore(since) && !t.isAfter(until);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  /** The middle value, or the mean of the two middle ones. */
  static Double median(List<Double> values) {
    if (values.isEmpty()) return null;
    List<Double> s = values.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static Map<String, List<Attempt>> group(
      List<Attempt> attempts, Function<Attempt, String> key) {
    Map<String, List<Attempt>> m = new TreeMap<>();
    attempts.forEach(a -> m.computeIfAbsent(key.apply(a), k -> new ArrayList<>()).add(a));
    return m;
  }
}
