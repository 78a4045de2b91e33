package dev.slipway.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.controller.cli.ArgoConverter.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argo Rollouts web metric as a Slipway web check: url, method, body (or jsonBody), timeout and
 * jsonPath carry over; a condition on a field of the result ({@code result.ok == true}) moves the
 * field into the JSONPath; header values are listed, since Slipway reads them from Secrets only.
 */
final class ArgoWebMetrics {
  /** result.a.b OP value: the field joins the JSONPath, the rest is a condition on result. */
  private static final Pattern FIELD_CONDITION =
      Pattern.compile(
          "^\\s*result((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)\\s*(==|!=|>=|<=|>|<)\\s*(.+?)\\s*$");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ArgoWebMetrics() {}

  static Map<String, Object> convert(
      ArgoConverter c,
      Map<String, Object> out,
      Map<String, Object> web,
      Map<String, Object> in,
      String p,
      String name,
      List<String> dry) {
    String w = p + "provider.web.";
    Map<String, Object> check = new LinkedHashMap<>();
    String url = ArgoConverter.str(web.remove("url"));
    if (url != null) {
      url = url.replaceAll("\\{\\{\\s*args\\.([A-Za-z0-9_-]+)\\s*}}", "{{args.$1}}");
      int q = url.indexOf('?');
      if ((q < 0 ? url : url.substring(0, q)).contains("{{")) {
        c.note(
            Severity.TODO,
            w + "url",
            "Slipway takes {{args.NAME}} only in the query string (so an arg cannot change the host): write the rest out");
      }
    }
    check.put("url", url);
    Object method = web.remove("method");
    if (method != null)
      check.put("method", String.valueOf(method).toUpperCase(java.util.Locale.ROOT));
    Object body = web.remove("body");
    Object jsonBody = web.remove("jsonBody");
    if (jsonBody != null) {
      try {
        body = JSON.writeValueAsString(jsonBody);
      } catch (JsonProcessingException e) {
        c.note(Severity.UNMAPPED, w + "jsonBody", "not JSON: " + e.getOriginalMessage());
      }
    }
    if (body != null) check.put("body", String.valueOf(body));
    Object timeout = web.remove("timeoutSeconds");
    if (timeout != null) check.put("timeout", ArgoConverter.seconds(timeout));
    String path = ArgoConverter.str(web.remove("jsonPath"));
    path = path == null ? "$" : path.strip();
    if (path.startsWith("{") && path.endsWith("}")) path = path.substring(1, path.length() - 1);
    String success = ArgoConverter.str(in.remove("successCondition"));
    String failure = ArgoConverter.str(in.remove("failureCondition"));
    String original = ArgoConverter.conditions(success, failure);
    if (success != null && failure == null) {
      Matcher m = FIELD_CONDITION.matcher(success);
      if (m.matches()) {
        path = path + m.group(1);
        success = "result " + m.group(2) + " " + m.group(3);
      }
    }
    check.put("jsonPath", path);
    List<Object> headers = ArgoConverter.list(web.remove("headers"));
    if (headers != null && !headers.isEmpty()) {
      c.note(
          Severity.UNMAPPED,
          w + "headers",
          "Slipway reads header values from Secrets only: put each in a Secret labelled slipway.dev/analysis-credentials=true and name it in web.headers[].valueFrom");
    }
    c.unmapped(web, w, "insecure", "Slipway's web checks verify TLS");
    c.leftovers(w, web);
    Map<String, Object> threshold = threshold(success, failure);
    if (threshold == null) {
      c.note(
          Severity.UNMAPPED,
          p + original,
          "Slipway judges a web check by a threshold: result compared with a number, or == true / == false; the metric is not converted");
      in.clear();
      return null;
    }
    out.put("web", check);
    out.put("threshold", threshold);
    c.schedule(in, out, p);
    if (dry.contains(name) || dry.contains(".*")) out.put("dryRun", true);
    c.leftovers(p, in);
    return out;
  }

  /** The threshold, or null: booleans are 1 and 0 to Slipway. */
  private static Map<String, Object> threshold(String success, String failure) {
    if (success == null && failure == null) return null;
    if (failure == null) {
      String s = success.replaceAll("\\s+", " ").strip();
      if (s.equals("result == true") || s.equals("result")) return Map.of("min", 1.0);
      if (s.equals("result == false") || s.equals("!result")) return Map.of("max", 0.0);
    }
    try {
      ArgoConditions.Range r = ArgoConditions.combined(success, failure);
      Map<String, Object> t = new LinkedHashMap<>();
      if (r.min() != null) t.put("min", r.min());
      if (r.max() != null) t.put("max", r.max());
      return t.isEmpty() ? null : t;
    } catch (ArgoConditions.Unmappable e) {
      return null;
    }
  }
}
