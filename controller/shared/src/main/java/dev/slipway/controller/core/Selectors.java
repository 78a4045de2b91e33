package dev.slipway.controller.core;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label selectors in the string form the scale subresource (and so an HPA) reads. */
public final class Selectors {
  private Selectors() {}

  public static String toString(LabelSelector selector) {
    if (selector == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    Map<String, String> labels =
        selector.getMatchLabels() == null ? Map.of() : new TreeMap<>(selector.getMatchLabels());
    labels.forEach((k, v) -> parts.add(k + "=" + v));
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String values = r.getValues() == null ? "" : String.join(",", r.getValues());
        parts.add(
            switch (r.getOperator()) {
              case "In" -> r.getKey() + " in (" + values + ")";
              case "NotIn" -> r.getKey() + " notin (" + values + ")";
              case "Exists" -> r.getKey();
              case "DoesNotExist" -> "!" + r.getKey();
              default -> r.getKey() + " " + r.getOperator() + " (" + values + ")";
            });
      }
    }
    return String.join(",", parts);
  }
}
