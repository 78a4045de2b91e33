package dev.slipway.controller.cli;

import io.fabric8.kubernetes.client.utils.Serialization;

/** -o json|yaml, as kubectl prints objects. */
final class Output {
  private Output() {}

  static String format(Object o, String format) {
    return switch (format) {
      case "json" -> Serialization.asJson(o) + "\n";
      case "yaml" -> Serialization.asYaml(o);
      default -> throw new IllegalArgumentException("-o must be json or yaml, not " + format);
    };
  }
}
