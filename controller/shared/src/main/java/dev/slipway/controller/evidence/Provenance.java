package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.Rollout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a Rollout came from, as Argo CD and CI leave it on the object. */
final class Provenance {
  static final List<String> ANNOTATIONS =
      List.of(
          "argocd.argoproj.io/tracking-id", // Argo CD annotation tracking:
          // <app>:<group>/<kind>:<ns>/<name>
          "argocd.argoproj.io/installation-id",
          "slipway.dev/commit", // set by CI or a kustomize/helm value: the Git commit SHA
          "slipway.dev/commit-time", // the commit's time (RFC 3339): DORA lead time counts from it
          "slipway.dev/author", // who authored the change (from Git or CI): a manual gate's
          // approver must differ
          "slipway.dev/source"); // e.g. the repository URL and path
  static final List<String> LABELS =
      List.of("app.kubernetes.io/instance", "argocd.argoproj.io/instance");

  private Provenance() {}

  static Map<String, Object> of(Rollout r) {
    Map<String, Object> out = new LinkedHashMap<>();
    var meta = r.getMetadata();
    for (String a : ANNOTATIONS) {
      if (meta.getAnnotations() != null && meta.getAnnotations().containsKey(a))
        out.put(a, meta.getAnnotations().get(a));
    }
    for (String l : LABELS) {
      if (meta.getLabels() != null && meta.getLabels().containsKey(l))
        out.put(l, meta.getLabels().get(l));
    }
    return out;
  }
}
