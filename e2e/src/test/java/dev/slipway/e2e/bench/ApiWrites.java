package dev.slipway.e2e.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write requests the API server counted ({@code apiserver_request_total}), per resource and
 * subresource: the cost a controller puts on the control plane, read from the server's side.
 */
final class ApiWrites {
  private static final Pattern SERIES =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ApiWrites() {}

  /** "resource[/subresource]" → count of POST, PUT, PATCH and DELETE requests so far. */
  static Map<String, Double> count(String metrics) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : metrics.lines().toList()) {
      Matcher m = SERIES.matcher(line);
      if (!m.matches()) continue;
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) labels.put(l.group(1), l.group(2));
      if (!labels.getOrDefault("verb", "").matches("POST|PUT|PATCH|DELETE|APPLY|CREATE|UPDATE"))
        continue;
      String sub = labels.getOrDefault("subresource", "");
      String key = labels.getOrDefault("resource", "?") + (sub.isEmpty() ? "" : "/" + sub);
      out.merge(key, Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  /** after − before, per key, dropping keys that did not move. */
  static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          double d = v - before.getOrDefault(k, 0.0);
          if (d > 0) out.put(k, d);
        });
    return out;
  }
}
