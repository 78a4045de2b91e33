package dev.slipway.controller.cli;

import dev.slipway.controller.cli.ArgoConverter.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo Rollouts' Datadog, New Relic and CloudWatch metrics as Slipway's. Queries, windows and
 * conditions carry over; credentials cannot: Argo reads them from a Secret in its own namespace (or
 * the pod's AWS role), Slipway from an opted-in Secret in the Rollout's namespace, so each
 * converted metric names such a Secret and says so in a TODO.
 */
final class ArgoHostedMetrics {
  static final List<String> KINDS = List.of("datadog", "newRelic", "cloudWatch");

  /** result.field OP value (New Relic's result is a row): the field becomes resultField. */
  private static final Pattern FIELD_CONDITION =
      Pattern.compile("^\\s*result\\.([A-Za-z_][A-Za-z0-9_.]*)\\s*(==|!=|>=|<=|>|<)\\s*(.+?)\\s*$");

  /** all(result[0].Values, {# OP value}): every point of CloudWatch's one returned series. */
  private static final Pattern ALL_VALUES =
      Pattern.compile(
          "^\\s*all\\(\\s*result\\[0]\\.Values\\s*,\\s*\\{\\s*#\\s*(>=|<=|>|<)\\s*([-0-9.eE+]+)\\s*}\\s*\\)\\s*$");

  private ArgoHostedMetrics() {}

  static Map<String, Object> convert(
      ArgoConverter c,
      Map<String, Object> out,
      String kind,
      Map<String, Object> argo,
      Map<String, Object> in,
      String p,
      String name,
      List<String> dry) {
    String q = p + "provider." + kind + ".";
    Object success = in.remove("successCondition");
    Object failure = in.remove("failureCondition");
    boolean converted =
        switch (kind) {
          case "datadog" -> datadog(c, out, argo, q);
          case "newRelic" -> {
            Matcher m =
                success != null && failure == null
                    ? FIELD_CONDITION.matcher(String.valueOf(success))
                    : null;
            String field = null;
            if (m != null && m.matches()) {
              field = m.group(1);
              success = "result " + m.group(2) + " " + m.group(3);
            }
            yield newRelic(c, out, argo, q, field);
          }
          default -> {
            Object[] mapped = cloudWatchConditions(success, failure);
            if (mapped == null) {
              c.note(
                  Severity.UNMAPPED,
                  p
                      + ArgoConverter.conditions(
                          ArgoConverter.str(success), ArgoConverter.str(failure)),
                  "Slipway judges CloudWatch's latest point by a threshold: write the condition as all(result[0].Values, {# <= N}); the metric is not converted");
              in.clear();
              argo.clear();
              yield false;
            }
            success = mapped[0];
            failure = mapped[1];
            c.note(
                Severity.CHANGED,
                p
                    + ArgoConverter.conditions(
                        ArgoConverter.str(mapped[0]), ArgoConverter.str(mapped[1])),
                "Argo checks every point of result[0].Values; Slipway checks the latest point of each measurement");
            yield cloudWatch(c, out, argo, q);
          }
        };
    if (!converted) return null;
    if (!c.threshold(in, out, p, success, failure)) return null;
    c.schedule(in, out, p);
    if (dry.contains(name) || dry.contains(".*")) out.put("dryRun", true);
    c.leftovers(q, argo);
    c.leftovers(p, in);
    return out;
  }

  private static boolean datadog(
      ArgoConverter c, Map<String, Object> out, Map<String, Object> argo, String q) {
    String query = ArgoConverter.str(argo.remove("query"));
    if (query == null) {
      c.note(
          Severity.UNMAPPED,
          q + "queries",
          "Slipway asks Datadog one query that selects one series (formulas over several queries are not supported); the metric is not converted");
      argo.clear();
      return false;
    }
    Map<String, Object> d = new LinkedHashMap<>();
    Object version = argo.remove("apiVersion");
    // Argo's default is v1; Slipway's is v2.
    d.put("apiVersion", version == null ? "v1" : String.valueOf(version));
    Object aggregator = argo.remove("aggregator");
    if (aggregator != null) d.put("aggregator", String.valueOf(aggregator));
    d.put("apiKey", Map.of("name", "datadog", "key", "api-key"));
    d.put("appKey", Map.of("name", "datadog", "key", "app-key"));
    c.note(
        Severity.TODO,
        q + "secretRef",
        "Slipway reads the keys from a Secret in the Rollout's namespace labelled slipway.dev/analysis-credentials=true: copy Argo's datadog Secret (api-key, app-key) there, and set datadog.site (or address) from its address");
    argo.remove("secretRef");
    window(argo, out);
    out.put("query", args(query).strip());
    out.put("datadog", d);
    return true;
  }

  private static boolean newRelic(
      ArgoConverter c, Map<String, Object> out, Map<String, Object> argo, String q, String field) {
    String query = ArgoConverter.str(argo.remove("query"));
    if (query == null) {
      c.note(Severity.UNMAPPED, q + "query", "missing; the metric is not converted");
      argo.clear();
      return false;
    }
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("accountId", 1);
    n.put("apiKey", Map.of("name", "newrelic", "key", "personal-api-key"));
    if (field != null) n.put("resultField", field);
    Object timeout = argo.remove("timeout");
    if (timeout != null) n.put("timeout", ArgoConverter.seconds(timeout));
    Object profile = argo.remove("profile");
    c.note(
        Severity.TODO,
        q + "profile",
        "Slipway reads the key from a Secret in the Rollout's namespace labelled slipway.dev/analysis-credentials=true: copy Argo's "
            + (profile == null ? "newrelic" : "newrelic-" + profile)
            + " Secret there, and set newRelic.accountId (written as 1) and region from its account-id and region");
    out.put("query", args(query).strip());
    out.put("newRelic", n);
    return true;
  }

  private static boolean cloudWatch(
      ArgoConverter c, Map<String, Object> out, Map<String, Object> argo, String q) {
    List<Object> queries = ArgoConverter.list(argo.remove("metricDataQueries"));
    if (queries == null || queries.isEmpty()) {
      c.note(Severity.UNMAPPED, q + "metricDataQueries", "missing; the metric is not converted");
      argo.clear();
      return false;
    }
    List<Object> converted = new ArrayList<>();
    for (Object o : queries) {
      Map<String, Object> m = ArgoConverter.copy(ArgoConverter.map(o));
      if (m == null) continue;
      Map<String, Object> metric =
          ArgoConverter.map(
              ArgoConverter.map(m.get("metricStat")) == null
                  ? null
                  : ArgoConverter.map(m.get("metricStat")).get("metric"));
      List<Object> dims = metric == null ? null : ArgoConverter.list(metric.get("dimensions"));
      if (dims != null) {
        for (Object dim : dims) {
          Map<String, Object> dm = ArgoConverter.map(dim);
          if (dm != null && dm.get("value") != null) {
            dm.put("value", args(String.valueOf(dm.get("value"))));
          }
        }
      }
      if (m.remove("period") != null) {
        c.note(
            Severity.CHANGED,
            q + "metricDataQueries[].period",
            "dropped: Slipway takes the period of metricStat (an expression's follows its inputs)");
      }
      converted.add(m);
    }
    Map<String, Object> cw = new LinkedHashMap<>();
    cw.put("region", "us-east-1");
    cw.put("credentials", Map.of("secretName", "cloudwatch"));
    cw.put("queries", converted);
    c.note(
        Severity.TODO,
        q + "metricDataQueries",
        "Argo uses the controller's AWS role; Slipway signs with keys from a Secret in the Rollout's namespace labelled slipway.dev/analysis-credentials=true (aws_access_key_id, aws_secret_access_key): create it, and set cloudWatch.region (written as us-east-1)");
    window(argo, out);
    out.put("cloudWatch", cw);
    return true;
  }

  /** Argo's interval (how far back a hosted query looks) is Slipway's window. */
  private static void window(Map<String, Object> argo, Map<String, Object> out) {
    Object interval = argo.remove("interval");
    if (interval != null) out.put("window", ArgoConverter.seconds(interval));
  }

  private static String args(String s) {
    return ArgoConverter.ARG.matcher(s).replaceAll("{{args.$1}}");
  }

  /** CloudWatch's conditions as conditions on one value, or null when they say more. */
  private static Object[] cloudWatchConditions(Object success, Object failure) {
    Object[] out = new Object[2];
    Object[] in = {success, failure};
    for (int i = 0; i < 2; i++) {
      if (in[i] == null) continue;
      Matcher m = ALL_VALUES.matcher(String.valueOf(in[i]));
      if (!m.matches()) return null;
      out[i] = "result " + m.group(1) + " " + m.group(2);
    }
    return out;
  }
}
