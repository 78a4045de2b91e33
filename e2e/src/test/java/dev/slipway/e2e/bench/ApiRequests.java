package dev.slipway.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API server's own count of requests by verb and resource (apiserver_request_total), read
 * before and after a stretch of work: which requests a controller made, from the server's side. The
 * benchmark's cluster serves only the benchmark, so the difference is the controller's (and the
 * benchmark's own polls).
 */
final class ApiRequests {
  private static final Pattern LINE = Pattern.compile("^apiserver_request_total\\{(.*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ApiRequests() {}

  /** "VERB resource[/subresource]" to its count so far. */
  static Map<String, Double> counts(KubernetesClient admin) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : admin.raw("/metrics").lines().toList()) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) continue;
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) labels.put(l.group(1), l.group(2));
      String resource = labels.getOrDefault("resource", "");
      if (resource.isEmpty()) continue;
      String sub = labels.getOrDefault("subresource", "");
      String key =
          labels.getOrDefault("verb", "?") + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
      out.merge(key, Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  /** Events created since {@code since}, counted by reason: "Reason 12, …". */
  static String eventReasons(KubernetesClient admin, java.time.Instant since) {
    Map<String, Long> by =
        admin.v1().events().inAnyNamespace().list().getItems().stream()
            .filter(
                e ->
                    e.getLastTimestamp() != null
                        && !java.time.Instant.parse(e.getLastTimestamp()).isBefore(since))
            .collect(
                Collectors.groupingBy(
                    e -> String.valueOf(e.getReason()), TreeMap::new, Collectors.counting()));
    return by.isEmpty() ? "none" : by.toString();
  }

  /** The requests made between two reads, per Rollout, most first: "GET rollouts 1.00, …". */
  static String perRollout(Map<String, Double> before, Map<String, Double> after, int rollouts) {
    Map<String, Double> diff = new TreeMap<>();
    after.forEach((k, v) -> diff.put(k, v - before.getOrDefault(k, 0.0)));
    String top =
        diff.entrySet().stream()
            .filter(e -> e.getValue() >= 1)
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .limit(8)
            .map(
                e ->
                    String.format(
                        Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / Math.max(1, rollouts)))
            .collect(Collectors.joining(", "));
    return top.isEmpty() ? "none" : top;
  }
}
