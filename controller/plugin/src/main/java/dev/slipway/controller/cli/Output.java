package dev.slipway.controller.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Locale;

/** -o json|yaml|name|jsonpath=TEMPLATE, as kubectl prints objects and lists. */
final class Output {
  static final String FORMATS = "json, yaml, name, jsonpath=TEMPLATE";

  private Output() {}

  /** Whether the format is one of these (wide is the table's, and each command handles it). */
  static boolean printsObjects(String format) {
    return format != null && !format.equals("wide");
  }

  static String format(Object o, String format) {
    if (format.startsWith("jsonpath=") || format.startsWith("jsonpath-as-json=")) {
      String template = format.substring(format.indexOf('=') + 1);
      String rendered =
          new JsonPathTemplate(template).render(Serialization.jsonMapper().valueToTree(o));
      return rendered.endsWith("\n") ? rendered : rendered + "\n";
    }
    return switch (format) {
      case "json" -> Serialization.asJson(o) + "\n";
      case "yaml" -> Serialization.asYaml(o);
      case "name" -> names(o);
      default ->
          throw new IllegalArgumentException(
              "-o must be one of "
                  + FORMATS
                  + (o instanceof KubernetesResourceList ? ", wide" : "")
                  + ", not "
                  + format);
    };
  }

  private static String names(Object o) {
    StringBuilder out = new StringBuilder();
    if (o instanceof KubernetesResourceList<?> list) {
      for (Object item : list.getItems()) out.append(name((HasMetadata) item)).append('\n');
    } else {
      out.append(name((HasMetadata) o)).append('\n');
    }
    return out.toString();
  }

  /** kubectl's resource/name form: rollout.slipway.dev/demo. */
  static String name(HasMetadata o) {
    if (o instanceof GenericKubernetesResource g) {
      String group =
          g.getApiVersion().contains("/")
              ? "." + g.getApiVersion().substring(0, g.getApiVersion().indexOf('/'))
              : "";
      return g.getKind().toLowerCase(Locale.ROOT) + group + "/" + g.getMetadata().getName();
    }
    return HasMetadata.getSingular(o.getClass())
        + "."
        + HasMetadata.getGroup(o.getClass())
        + "/"
        + o.getMetadata().getName();
  }
}
