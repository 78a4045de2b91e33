package dev.slipway.controller.reconcile;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Action;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per decision a person follows in the log: a transition, a weight written, a weight
 * verified, a manual action handled, an analysis verdict. Steps are 1-based, as people count them.
 * With SLIPWAY_LOG_FORMAT=JSON the key=value pairs are also JSON fields (namespace, rollout,
 * revision, step, weights, ...), for log pipelines to filter on.
 */
final class DecisionLog {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

  private DecisionLog() {}

  static void passed(Rollout r, RolloutStatus before, List<Action> actions, RolloutStatus after) {
    if (!LOG.isInfoEnabled() || after == null) {
      return;
    }
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    for (Action a : actions) {
      if (a instanceof Action.RecordTransition t) {
        LOG.info(
            "transition {} {} {} {} {} {} {}",
            kv("namespace", ns),
            kv("rollout", name),
            kv("revision", t.revision()),
            kv("from", t.from() == null ? "new" : t.from().name()),
            kv("to", t.to().name()),
            kv("step", step(t.step())),
            kv("reason", t.reason()));
      } else if (a instanceof Action.SetWeight w
          && !Objects.equals(w.canaryWeight(), before == null ? null : before.desiredWeight())) {
        LOG.info(
            "weight written {} {} {} {} {}",
            kv("namespace", ns),
            kv("rollout", name),
            kv("revision", after.canaryRevision()),
            kv("canaryWeight", w.canaryWeight()),
            kv("stableWeight", 100 - w.canaryWeight()));
      } else if (a instanceof Action.EvictPod e) {
        LOG.info(
            "restart evicting pod {} {} {} {}",
            kv("namespace", ns),
            kv("rollout", name),
            kv("revision", e.revision()),
            kv("pod", e.name()));
      }
    }
    Integer verified = after.verifiedWeight();
    if (verified != null && !verified.equals(before == null ? null : before.verifiedWeight())) {
      LOG.info(
          "weight verified {} {} {} {} {}",
          kv("namespace", ns),
          kv("rollout", name),
          kv("revision", after.canaryRevision()),
          kv("canaryWeight", verified),
          kv("step", step(after.currentStepIndex())));
    }
    ActionRecord last = after.lastAction();
    if (last != null && !last.equals(before == null ? null : before.lastAction())) {
      LOG.info(
          "manual action {} {} {} {} {}",
          kv("namespace", ns),
          kv("rollout", name),
          kv("action", last.action()),
          kv("requestedBy", last.requestedBy() == null ? last.fieldManager() : last.requestedBy()),
          kv("result", last.result()));
    }
    if (after.restartedAt() != null
        && !after.restartedAt().equals(before == null ? null : before.restartedAt())) {
      LOG.info(
          "restart finished {} {} {}",
          kv("namespace", ns),
          kv("rollout", name),
          kv("restartAt", after.restartedAt()));
    }
    Set<String> old =
        new HashSet<>(
            before == null || before.analysisVerdicts() == null
                ? List.of()
                : before.analysisVerdicts());
    if (after.analysisVerdicts() != null) {
      for (String v : after.analysisVerdicts()) {
        if (!old.contains(v)) {
          int eq = v.indexOf('=');
          String where = eq < 0 ? "-" : v.substring(0, eq);
          LOG.info(
              "analysis verdict {} {} {} {} {}",
              kv("namespace", ns),
              kv("rollout", name),
              kv("revision", after.canaryRevision()),
              kv("step", where.matches("[0-9]+") ? step(Integer.valueOf(where)) : where),
              kv("verdict", eq < 0 ? v : v.substring(eq + 1)));
        }
      }
    }
  }

  /** 1-based, as the printer column's human reading and the messages count; "-" when none. */
  private static String step(Integer index) {
    return index == null ? "-" : String.valueOf(index + 1);
  }
}
