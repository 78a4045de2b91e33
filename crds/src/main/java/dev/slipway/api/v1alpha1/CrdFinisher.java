package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the CRD generator cannot say from annotations: printer columns in declaration order (it
 * sorts them by JSON path), descriptions on the top-level spec and status, and rules on metadata.
 * Applied to the generated YAML before it is committed; the drift test applies it too.
 */
public final class CrdFinisher {
  private CrdFinisher() {}

  @SuppressWarnings("unchecked")
  public static void finish(Map<String, Object> crd) {
    String kind =
        (String)
            ((Map<String, Object>) ((Map<String, Object>) crd.get("spec")).get("names"))
                .get("kind");
    if ("AnalysisTemplate".equals(kind)) {
      finishPlain(
          crd,
          "Reusable analysis metrics, referenced by Rollouts in the same namespace.",
          "The metrics, their default provider and the args their queries take.");
      return;
    }
    if ("RolloutRecord".equals(kind)) {
      finishPlain(
          crd,
          "Evidence of one revision attempt of a Rollout: append-only, hash-chained, signed entries.",
          "The record's identity and its entries.");
      return;
    }
    if ("Release".equals(kind)) {
      finishRelease(crd);
      return;
    }
    Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
    for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
      orderColumns(version, Rollout.class);
      Map<String, Object> schema =
          (Map<String, Object>)
              ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
      schema.putIfAbsent(
          "description",
          "A Slipway Rollout: a pod template delivered to production through weighted Gateway API canary steps, with analysis and evidence.");
      // The name becomes a label value (slipway.dev/rollout on ReplicaSets and pods), which
      // Kubernetes caps at 63 characters: a longer name would be accepted, then fail every write.
      // Ordered: Map.of iterates in a per-JVM random order, and the committed YAML must not drift.
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("rule", "size(self.metadata.name) <= 63");
      rule.put(
          "message",
          "metadata.name must be at most 63 characters: it becomes the slipway.dev/rollout label of its ReplicaSets and pods");
      schema.put("x-kubernetes-validations", List.of(rule));
      Map<String, Object> props = (Map<String, Object>) schema.get("properties");
      ((Map<String, Object>) props.get("spec"))
          .putIfAbsent(
              "description",
              "What to deliver and how: pods, selector, replicas, and the canary strategy.");
      ((Map<String, Object>) props.get("status"))
          .putIfAbsent(
              "description",
              "What the controller observed and decided. Only status.request is written by people.");
    }
  }

  @SuppressWarnings("unchecked")
  private static void finishRelease(Map<String, Object> crd) {
    Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
    for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
      orderColumns(version, Release.class);
      Map<String, Object> schema =
          (Map<String, Object>)
              ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
      schema.putIfAbsent(
          "description",
          "A fleet release, in the hub cluster: one revision walked over member clusters wave by wave, each wave opened only when the last one is Stable on it with verified evidence.");
      Map<String, Object> props = (Map<String, Object>) schema.get("properties");
      ((Map<String, Object>) props.get("spec"))
          .putIfAbsent("description", "The revision, the Rollouts that carry it, and the waves.");
      ((Map<String, Object>) props.get("status"))
          .putIfAbsent(
              "description",
              "What the hub observed and decided. Only status.request is written by people.");
    }
  }

  /** Printer columns in the order the class declares them (the generator sorts them by path). */
  @SuppressWarnings("unchecked")
  private static void orderColumns(Map<String, Object> version, Class<?> type) {
    List<Map<String, Object>> cols =
        (List<Map<String, Object>>) version.get("additionalPrinterColumns");
    if (cols == null) return;
    List<Map<String, Object>> ordered = new ArrayList<>();
    for (AdditionalPrinterColumn a : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      cols.stream().filter(c -> a.name().equals(c.get("name"))).findFirst().ifPresent(ordered::add);
    }
    version.put("additionalPrinterColumns", ordered);
  }

  @SuppressWarnings("unchecked")
  private static void finishPlain(
      Map<String, Object> crd, String description, String specDescription) {
    Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
    for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
      Map<String, Object> schema =
          (Map<String, Object>)
              ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
      schema.putIfAbsent("description", description);
      Map<String, Object> props = (Map<String, Object>) schema.get("properties");
      ((Map<String, Object>) props.get("spec")).putIfAbsent("description", specDescription);
      props.remove("status");
    }
  }
}
