package dev.slipway.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who last wrote a field, from managedFields. {@code spec.rules} of a route and {@code
 * spec.selector} of a Service are atomic, so exactly one manager owns each: ours after we wrote it,
 * someone else's after they did. That tells drift (a person's edit) from our own write whose status
 * never got recorded (a controller stopped between the two).
 */
public final class FieldOwners {
  private FieldOwners() {}

  /** The managers that own the field at this path (e.g. "f:spec", "f:rules"). */
  public static List<String> of(HasMetadata o, String... path) {
    List<String> out = new ArrayList<>();
    if (o.getMetadata() == null || o.getMetadata().getManagedFields() == null) {
      return out;
    }
    for (ManagedFieldsEntry m : o.getMetadata().getManagedFields()) {
      Object node = m.getFieldsV1() == null ? null : m.getFieldsV1().getAdditionalProperties();
      for (String p : path) {
        node = node instanceof Map<?, ?> map ? map.get(p) : null;
      }
      if (node != null) {
        out.add(m.getManager());
      }
    }
    return out;
  }

  /**
   * Someone other than the controller owns the field (an empty list is not foreign: nobody said).
   */
  public static boolean foreign(HasMetadata o, String... path) {
    return of(o, path).stream().anyMatch(m -> !Labels.FIELD_MANAGER.equals(m));
  }
}
