package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.traffic.TrafficRouter;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a deleted Rollout leaves behind must still serve: its finalizer {@value #FINALIZER} holds
 * the deletion until the routes send everything to the stable Service (no segment, no mirror) and
 * Slipway's selector key is off both Services, so whatever replaces the Rollout (a Deployment with
 * the same labels) gets traffic at once instead of Services pinned to pods about to vanish.
 */
public final class TrafficRelease {
  public static final String FINALIZER = "slipway.dev/release-traffic";

  private final KubernetesClient client;
  private final TrafficRouter router;

  public TrafficRelease(KubernetesClient client, TrafficRouter router) {
    this.client = client;
    this.router = router;
  }

  static boolean holds(Rollout r) {
    return r.getMetadata().getFinalizers() != null
        && r.getMetadata().getFinalizers().contains(FINALIZER);
  }

  /**
   * Adds the finalizer (once in a Rollout's life), pinned to the resourceVersion read; returns the
   * Rollout as written.
   */
  Rollout hold(Rollout r) {
    String rv = r.getMetadata().getResourceVersion();
    String patch =
        r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty()
            ? "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + rv
                + "\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\""
                + FINALIZER
                + "\"]}]"
            : "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + rv
                + "\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\""
                + FINALIZER
                + "\"}]";
    return client
        .resources(Rollout.class)
        .inNamespace(r.getMetadata().getNamespace())
        .withName(r.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), patch);
  }

  /**
   * Sends all traffic to stable and takes our selector key off the Services; returns what was done
   * and what failed.
   */
  Released release(Rollout r) {
    List<String> done = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    var plan =
        r.getSpec() == null || r.getSpec().strategy() == null
            ? null
            : r.getSpec().strategy().plan();
    if (ObservationReader.routed(r)) {
      try {
        // What the router could not write it never wrote (a route gone, not granted, without our
        // backends): nothing to release there.
        List<String> untouched = router.setWeight(r, 0, RouteShape.NONE);
        done.add(
            untouched.isEmpty()
                ? "routes back to the stable Service (weight 0, no segment or mirror)"
                : "routes back to the stable Service where Slipway wrote them (not: "
                    + String.join("; ", untouched)
                    + ")");
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          done.add("routes gone");
        } else {
          problems.add("routes: HTTP " + e.getCode());
        }
      }
    }
    if (plan != null) {
      for (String name :
          new LinkedHashSet<>(Arrays.asList(plan.stableService(), plan.canaryService()))) {
        if (name == null) continue;
        String ns = r.getMetadata().getNamespace();
        Service svc = client.services().inNamespace(ns).withName(name).get();
        boolean selects =
            svc != null
                && svc.getSpec() != null
                && svc.getSpec().getSelector() != null
                && svc.getSpec().getSelector().containsKey(Labels.revision(r));
        boolean labelled = svc != null && ServiceSelectors.labelled(svc, r);
        if (!selects && !labelled) {
          continue;
        }
        try {
          StringBuilder ops =
              new StringBuilder(
                  "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                      + svc.getMetadata().getResourceVersion()
                      + "\"}");
          if (selects) ops.append(remove("/spec/selector/", Labels.revision(r)));
          // The label that put it in the controller's informer goes with the Rollout too.
          if (labelled) ops.append(remove("/metadata/labels/", Labels.ROLLOUT));
          client
              .services()
              .inNamespace(ns)
              .withName(name)
              .patch(PatchContext.of(PatchType.JSON), ops.append("]").toString());
          done.add("Service " + ns + "/" + name + " selects " + new TreeMap<>(withoutOurs(svc, r)));
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404)
            problems.add("Service " + ns + "/" + name + ": HTTP " + e.getCode());
        }
      }
    }
    return new Released(done, problems);
  }

  /** A JSON-patch remove of one map key (escaped as a JSON pointer), after a comma. */
  private static String remove(String map, String key) {
    return ",{\"op\":\"remove\",\"path\":\""
        + map
        + key.replace("~", "~0").replace("/", "~1")
        + "\"}";
  }

  /** Lets the deletion finish, pinned to the resourceVersion read. */
  void let(Rollout r) {
    List<String> rest = new ArrayList<>(r.getMetadata().getFinalizers());
    rest.remove(FINALIZER);
    String json =
        rest.stream()
            .map(f -> "\"" + f.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
            .collect(Collectors.joining(",", "[", "]"));
    client
        .resources(Rollout.class)
        .inNamespace(r.getMetadata().getNamespace())
        .withName(r.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + r.getMetadata().getResourceVersion()
                + "\"},{\"op\":\"replace\",\"path\":\"/metadata/finalizers\",\"value\":"
                + json
                + "}]");
  }

  private static Map<String, String> withoutOurs(Service svc, Rollout r) {
    Map<String, String> m = new HashMap<>(svc.getSpec().getSelector());
    m.remove(Labels.revision(r));
    return m;
  }

  /**
   * What releasing did, and what it could not do (then the finalizer stays and it is tried again).
   */
  record Released(List<String> done, List<String> problems) {}
}
