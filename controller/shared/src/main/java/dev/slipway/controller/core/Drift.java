package dev.slipway.controller.core;

import static dev.slipway.api.v1alpha1.RevisionState.Canary;
import static dev.slipway.api.v1alpha1.RevisionState.Paused;
import static dev.slipway.api.v1alpha1.RevisionState.Ready;
import static dev.slipway.api.v1alpha1.RevisionState.Stable;

import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.RouteStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Someone else changed what we decided: a weight on a route we had verified, or a selector of a
 * Service we point. We put our value back in the same pass and record the drift (a Warning Event
 * and an evidence entry). Compared with the previous status, before this pass decides anything.
 */
final class Drift {
  private Drift() {}

  static void check(RolloutDecider.Ctx c, RolloutStatus before) {
    if (before == null || before.state() == null) {
      return;
    }
    weights(c, before);
    shape(c, before);
    selectors(c, before);
  }

  /**
   * A segment rule or mirror filter we had in place, removed or changed by someone else. Putting it
   * back is TrafficShape's end-of-pass write; this records that it was needed.
   */
  private static void shape(RolloutDecider.Ctx c, RolloutStatus before) {
    TrafficView t = c.obs().traffic();
    if (t == null
        || t.anyMissing()
        || t.routes().isEmpty()
        || !t.editedByOthers()
        || (before.state() != Canary && before.state() != Paused)) {
      return;
    }
    RouteShape decided =
        Segments.shape(
            before.headerRoute(), before.mirrorPercent() == null ? 0 : before.mirrorPercent());
    if (decided.none() || decided.equals(t.shape())) {
      return;
    }
    // A step still waiting for its shape to be accepted is no drift: only one that had been
    // written.
    boolean wasVerified =
        before.conditionsOrEmpty().stream()
            .anyMatch(x -> "TrafficRouted".equals(x.type()) && "True".equals(x.status()));
    if (!wasVerified) {
      return;
    }
    String observed = t.shape() == null ? "(routes differ)" : describe(t.shape());
    String key =
        "shape/"
            + t.routes().stream()
                .map(r -> r.name() + "@" + r.generation())
                .collect(Collectors.joining(","));
    c.d()
        .act(
            new Action.RecordDrift(
                revision(before),
                c.d().attempt(),
                "header segment and mirror on " + routeNames(t),
                observed,
                describe(decided),
                key));
  }

  private static String describe(RouteShape s) {
    String seg =
        !s.hasSegment()
            ? "no segment"
            : "segment "
                + Stream.concat(
                        s.method() == null
                            ? Stream.<String>empty()
                            : Stream.of("method " + s.method()),
                        s.segment().stream()
                            .map(
                                h -> h.name() + (h.type().equals("Exact") ? "=" : "~") + h.value()))
                    .collect(Collectors.joining(" and "));
    return seg + ", mirror " + s.mirrorPercent() + "%";
  }

  /** A weight we had verified is no longer on the routes. */
  private static void weights(RolloutDecider.Ctx c, RolloutStatus before) {
    TrafficView t = c.obs().traffic();
    Integer decided = before.desiredWeight();
    // Only someone else's write is drift: our own write whose status was never recorded (we
    // stopped between the two) leaves the rules ours, and the steps carry on from it. A weight we
    // had verified counts, and so does one whose putting back failed last pass (a 409 when the
    // gateway wrote the route's status meanwhile): that status no longer calls it verified, and
    // without this the hand-made weight would stay for good.
    boolean retrying =
        before.conditionsOrEmpty().stream()
            .anyMatch(x -> Conditions.ACTION_FAILED.equals(x.type()) && "True".equals(x.status()));
    if (t == null
        || decided == null
        || !(decided.equals(before.verifiedWeight()) || retrying)
        || t.anyMissing()
        || t.routes().isEmpty()
        || !t.editedByOthers()) {
      return;
    }
    if (Objects.equals(t.canaryWeight(), decided)) {
      return;
    }
    String observed =
        t.canaryWeight() == null
            ? t.routes().stream()
                .map(r -> r.name() + "=" + r.canaryWeight())
                .collect(Collectors.joining(", "))
            : String.valueOf(t.canaryWeight());
    String key =
        "weight/"
            + t.routes().stream()
                .map(r -> r.name() + "@" + r.generation())
                .collect(Collectors.joining(","));
    Draft d = c.d();
    d.act(
        new Action.RecordDrift(
            revision(before),
            d.attempt(),
            "canary weight on " + routeNames(t),
            observed,
            String.valueOf(decided),
            key));
    d.act(new Action.SetWeight(decided));
  }

  /** A Service no longer selects the revision we pointed it at. */
  private static void selectors(RolloutDecider.Ctx c, RolloutStatus before) {
    ServicesView sv = c.obs().services();
    if (sv == null) {
      return;
    }
    Map<String, String> expected = expected(c, before);
    if (expected.isEmpty()) {
      return;
    }
    boolean drifted = false;
    Draft d = c.d();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String observed = sv.selects().get(e.getKey());
      if (observed == null
          || observed.equals(e.getValue())
          || !sv.editedByOthers().contains(e.getKey())) {
        continue;
      }
      drifted = true;
      d.act(
          new Action.RecordDrift(
              revision(before),
              d.attempt(),
              "selector of Service " + e.getKey(),
              observed.isEmpty() ? "(no revision)" : observed,
              e.getValue(),
              "selector/" + e.getKey() + "@" + sv.versions().getOrDefault(e.getKey(), "")));
    }
    // A Service not yet labelled (Slipway before it labelled them, or the label removed) is
    // pointed again as it is: the write labels it, and the informer holds it from then on.
    boolean unlabeled = expected.keySet().stream().anyMatch(sv.unlabeled()::contains);
    if (drifted || unlabeled) {
      var canary = c.spec().strategy().plan();
      d.act(
          new Action.PointServices(
              expected.get(canary.stableService()), expected.get(canary.canaryService())));
    }
  }

  /** What each Service selects in a settled state; empty while we are moving them ourselves. */
  private static Map<String, String> expected(RolloutDecider.Ctx c, RolloutStatus before) {
    var canary = c.spec().strategy().plan();
    String stable = before.stableRevision();
    Map<String, String> out = new LinkedHashMap<>();
    if (stable == null) {
      return out;
    }
    boolean walking = before.canaryRevision() != null && !before.canaryRevision().equals(stable);
    if (walking
        && (before.state() == Ready || before.state() == Canary || before.state() == Paused)) {
      out.put(canary.stableService(), stable);
      out.put(canary.canaryService(), before.canaryRevision());
    } else if (before.state() == Stable && before.canaryRevision() == null) {
      out.put(canary.stableService(), stable);
      out.put(canary.canaryService(), stable);
    }
    return out;
  }

  private static String revision(RolloutStatus s) {
    return s.canaryRevision() != null ? s.canaryRevision() : s.stableRevision();
  }

  private static String routeNames(TrafficView t) {
    return t.routes().stream().map(RouteStatus::name).collect(Collectors.joining(", "));
  }
}
