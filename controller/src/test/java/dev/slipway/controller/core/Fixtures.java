package dev.slipway.controller.core;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RouteStatus;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for decision-core tables. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final int REPLICAS = 4;

  private Fixtures() {}

  static RolloutSpec spec(CanaryStep... steps) {
    return spec(false, steps);
  }

  static RolloutSpec spec(boolean paused, CanaryStep... steps) {
    return new RolloutSpec(
        REPLICAS,
        new LabelSelectorBuilder().addToMatchLabels("app", "demo").build(),
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", "demo")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("demo:1")
            .endContainer()
            .endSpec()
            .build(),
        null,
        60,
        paused,
        new Strategy(
            new CanaryStrategy(
                "demo-stable",
                "demo-canary",
                new TrafficRouting(
                    new GatewayApiRouting(List.of(new HttpRouteRef("demo", null)), null, null)),
                null,
                null,
                "0s",
                List.of(steps))));
  }

  /** Observation builder: mutable, so each table row states only what differs. */
  static final class Obs {
    String desired;
    final Map<String, ReplicaSetView> rs = new HashMap<>();
    Integer weight = 0;
    boolean accepted = true;
    boolean routeMissing;
    final Map<Integer, RunResult> analysis = new HashMap<>();
    ManualAction request;
    ServicesView services;
    String conflict;
    boolean weightsEditedByOthers;
    long generation = 3;
    List<PodView> pods;
    RouteShape shape = RouteShape.NONE;
    String mirrorUnsupported;
    WorkloadView workload;
    ImageVerdict images;

    Obs(String desired) {
      this.desired = desired;
    }

    Obs rs(String rev, int replicas, int ready) {
      rs.put(rev, new ReplicaSetView(rev, replicas, ready));
      return this;
    }

    Obs weight(Integer w, boolean accepted) {
      this.weight = w;
      this.accepted = accepted;
      return this;
    }

    Obs images(ImageVerdict v) {
      images = v;
      return this;
    }

    Obs workload(WorkloadView w) {
      workload = w;
      return this;
    }

    Obs mirrorUnsupported(String why) {
      mirrorUnsupported = why;
      return this;
    }

    Obs shape(RouteShape s) {
      shape = s;
      return this;
    }

    Obs generation(long g) {
      generation = g;
      return this;
    }

    Obs missingRoute() {
      routeMissing = true;
      return this;
    }

    Obs verdict(int step, Verdict v, String reason) {
      analysis.put(step, RunResult.fixed(AnalysisResult.of(v, reason), T0));
      return this;
    }

    /**
     * The Services select these revisions (stable, canary); a null revision means that Service is
     * missing.
     */
    Obs weightsEditedByOthers(boolean edited) {
      weightsEditedByOthers = edited;
      return this;
    }

    Obs services(String stableSelects, String canarySelects, String version) {
      return services(stableSelects, canarySelects, version, Set.of("demo-stable", "demo-canary"));
    }

    Obs services(
        String stableSelects, String canarySelects, String version, Set<String> editedByOthers) {
      return services(stableSelects, canarySelects, version, editedByOthers, Set.of());
    }

    Obs services(
        String stableSelects,
        String canarySelects,
        String version,
        Set<String> editedByOthers,
        Set<String> unlabeled) {
      Map<String, String> sel = new HashMap<>();
      Map<String, String> ver = new HashMap<>();
      List<String> missing = new ArrayList<>();
      if (stableSelects == null) missing.add("default/demo-stable");
      else {
        sel.put("demo-stable", stableSelects);
        ver.put("demo-stable", version);
      }
      if (canarySelects == null) missing.add("default/demo-canary");
      else {
        sel.put("demo-canary", canarySelects);
        ver.put("demo-canary", version);
      }
      services = new ServicesView(sel, missing, ver, editedByOthers, unlabeled);
      return this;
    }

    /**
     * The Rollout's pods, as a restart reads them: name, revision, age in seconds before T0, ready,
     * terminating.
     */
    Obs pod(
        String name, String revision, long secondsBeforeT0, boolean ready, boolean terminating) {
      if (pods == null) pods = new ArrayList<>();
      pods.add(
          new PodView(
              name, "uid-" + name, revision, T0.minusSeconds(secondsBeforeT0), ready, terminating));
      return this;
    }

    Obs conflict(String why) {
      conflict = why;
      return this;
    }

    /** The change's author, as recorded when its attempt opened. */
    static String author;

    /** Whether requestedBy is bound to the caller (the ValidatingAdmissionPolicy is in force). */
    static boolean bound = true;

    Obs request(RequestAction a) {
      request =
          new ManualAction(a, "alice@example.com", "kubectl-patch", T0.toString(), author, bound);
      return this;
    }

    Observations build() {
      TrafficView t =
          routeMissing
              ? new TrafficView(List.of("demo"), null, false, List.of())
              : new TrafficView(
                  List.of(),
                  weight,
                  accepted,
                  List.of(new RouteStatus("demo", weight, generation, accepted)),
                  weightsEditedByOthers,
                  shape,
                  mirrorUnsupported);
      return new Observations(
          1,
          desired,
          Map.copyOf(rs),
          t,
          Map.copyOf(analysis),
          request,
          services,
          conflict,
          pods == null ? null : List.copyOf(pods),
          workload,
          null,
          images);
    }
  }

  static Obs obs(String desired) {
    return new Obs(desired);
  }
}
