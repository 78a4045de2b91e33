package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The earlier JSON form that was hashed (records written before RFC 8785 spelling, canon 1, still
 * verify with it; new entries use {@link Jcs}): object keys sorted, no insignificant whitespace,
 * nulls dropped, UTF-8, and numbers in one spelling (integral values as integers, others as the
 * shortest decimal). The same bytes come out whichever way the object was built or read: the API
 * server re-encodes numbers (1.0 comes back as 1), so the spelling must not depend on it.
 */
public final class Canonical {
  static final ObjectMapper JSON = new ObjectMapper();

  private Canonical() {}

  public static JsonNode tree(Object value) {
    return sorted(JSON.valueToTree(value));
  }

  public static String string(Object value) {
    try {
      return JSON.writeValueAsString(tree(value));
    } catch (Exception e) {
      throw new IllegalArgumentException("not serializable as JSON: " + e.getMessage(), e);
    }
  }

  public static byte[] bytes(Object value) {
    return string(value).getBytes(StandardCharsets.UTF_8);
  }

  /** In the spelling an entry declares: 2 is RFC 8785 ({@link Jcs}), 1 the earlier form. */
  public static String string(Object value, int canon) {
    return canon >= 2 ? Jcs.canonicalize(JSON.valueToTree(value)) : string(value);
  }

  public static byte[] bytes(Object value, int canon) {
    return string(value, canon).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = n.fieldNames();
      it.forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String k : names) {
        JsonNode v = n.get(k);
        if (v != null && !v.isNull()) out.set(k, sorted(v));
      }
      return out;
    }
    if (n.isNumber() && !n.isIntegralNumber()) {
      double d = n.doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return JsonNodeFactory.instance.numberNode((long) d);
      }
      return JsonNodeFactory.instance.numberNode(BigDecimal.valueOf(d).stripTrailingZeros());
    }
    if (n.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      n.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return n;
  }
}
