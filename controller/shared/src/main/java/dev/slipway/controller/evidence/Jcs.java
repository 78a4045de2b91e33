package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON Canonicalization Scheme, RFC 8785: object members sorted by the UTF-16 code units of
 * their names, no whitespace, strings escaped as ECMAScript's JSON.stringify does, and numbers in
 * ECMAScript's shortest round-trip form (1e+21, 0.000001, 5e-324). Tested with the RFC's vectors.
 * Object members whose value is null are left out first: the API server drops them from stored
 * records, and the hash must not depend on which copy is hashed.
 */
public final class Jcs {
  private Jcs() {}

  public static String canonicalize(JsonNode n) {
    StringBuilder b = new StringBuilder();
    write(n, b);
    return b.toString();
  }

  private static void write(JsonNode n, StringBuilder b) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      b.append("null");
    } else if (n.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = n.fieldNames();
      it.forEachRemaining(names::add);
      // String.compareTo orders by UTF-16 code units, exactly as RFC 8785 section 3.2.3 asks.
      names.sort(String::compareTo);
      b.append('{');
      boolean first = true;
      for (String k : names) {
        JsonNode v = n.get(k);
        if (v == null || v.isNull()) continue;
        if (!first) b.append(',');
        first = false;
        string(k, b);
        b.append(':');
        write(v, b);
      }
      b.append('}');
    } else if (n.isArray()) {
      b.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) b.append(',');
        write(n.get(i), b);
      }
      b.append(']');
    } else if (n.isTextual()) {
      string(n.textValue(), b);
    } else if (n.isNumber()) {
      b.append(number(n.doubleValue()));
    } else if (n.isBoolean()) {
      b.append(n.booleanValue());
    } else {
      throw new IllegalArgumentException("not JSON: " + n.getNodeType());
    }
  }

  /**
   * JSON.stringify's escaping: the short forms, lowercase \\u00xx for other controls, nothing else.
   */
  static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** ECMAScript's Number.prototype.toString for a finite double (ECMA-262, 7.1.12.1). */
  public static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("RFC 8785 has no spelling for " + d);
    }
    if (d == 0) {
      return "0";
    }
    if (d < 0) {
      return "-" + number(-d);
    }
    // The shortest digits that read back as d; among equally short, the closest (half-even).
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = null;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        shortest = r;
        break;
      }
    }
    if (shortest == null) {
      shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
    String digits = shortest.unscaledValue().abs().toString().replaceAll("0+$", "");
    if (digits.isEmpty()) {
      digits = "0";
    }
    int k = digits.length();
    // ECMA-262's n: the value is digits x 10^(n - k).
    int n = shortest.unscaledValue().abs().toString().length() - shortest.scale();
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    int e = n - 1;
    String exp = (e < 0 ? "-" : "+") + Math.abs(e);
    return k == 1 ? digits + "e" + exp : digits.charAt(0) + "." + digits.substring(1) + "e" + exp;
  }
}
