package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Datadog's answers as outcomes. A query that selects nothing (no series, no values, only nulls) is
 * NoData; one that selects several series is a Failure (the value would depend on which one we
 * read: aggregate them in the query, e.g. {@code sum:}); Datadog's own error text stays out of the
 * outcome (see {@link UpstreamText}).
 */
public final class DatadogResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatadogResponses() {}

  /** {@code GET /api/v1/query}: the last non-null point of the one series. */
  public static QueryOutcome v1(String body) {
    return v1(body, false);
  }

  /** {@code GET /api/v1/query} of a count: the sum of the one series' non-null points. */
  public static QueryOutcome v1Sum(String body) {
    return v1(body, true);
  }

  private static QueryOutcome v1(String body, boolean sum) {
    JsonNode root = parse(body);
    if (root == null) return new QueryOutcome.Failure("Datadog's answer is not JSON");
    if ("error".equals(root.path("status").asText()) || root.has("errors")) {
      UpstreamText.logged("query error", "datadog", root.toString());
      return new QueryOutcome.Failure("Datadog refused the query (status error)");
    }
    JsonNode series = root.path("series");
    if (!series.isArray()) return new QueryOutcome.Failure("Datadog's answer has no series list");
    if (series.isEmpty()) return new QueryOutcome.NoData("no series matched");
    if (series.size() > 1) {
      return new QueryOutcome.Failure(
          "the query selected " + series.size() + " series: aggregate them to one (e.g. sum:)");
    }
    JsonNode points = series.get(0).path("pointlist");
    if (sum) {
      double total = 0;
      boolean any = false;
      for (JsonNode p : points) {
        JsonNode v = p.path(1);
        if (v.isNumber() && Double.isFinite(v.doubleValue())) {
          total += v.doubleValue();
          any = true;
        }
      }
      return any
          ? new QueryOutcome.Value(total)
          : new QueryOutcome.NoData("the series has no points in the interval");
    }
    for (int i = points.size() - 1; i >= 0; i--) {
      JsonNode v = points.get(i).path(1);
      if (v.isNumber() && Double.isFinite(v.doubleValue())) {
        return new QueryOutcome.Value(v.doubleValue());
      }
    }
    return new QueryOutcome.NoData("the series has no points in the window");
  }

  /** {@code POST /api/v2/query/scalar}: the one value of the formula's column. */
  public static QueryOutcome v2(String body) {
    JsonNode root = parse(body);
    if (root == null) return new QueryOutcome.Failure("Datadog's answer is not JSON");
    if (root.hasNonNull("errors") && !root.path("errors").asText().isEmpty()) {
      UpstreamText.logged("query error", "datadog", root.path("errors").toString());
      return new QueryOutcome.Failure("Datadog refused the query (errors in the answer)");
    }
    JsonNode columns = root.path("data").path("attributes").path("columns");
    if (!columns.isArray()) {
      return new QueryOutcome.Failure("Datadog's answer has no columns");
    }
    JsonNode values = null;
    for (JsonNode c : columns) {
      if ("number".equals(c.path("type").asText())) values = c.path("values");
    }
    if (values == null || values.isEmpty()) return new QueryOutcome.NoData("no series matched");
    if (values.size() > 1) {
      return new QueryOutcome.Failure(
          "the query selected "
              + values.size()
              + " groups: aggregate them to one (drop the group by)");
    }
    JsonNode v = values.get(0);
    return v.isNumber() && Double.isFinite(v.doubleValue())
        ? new QueryOutcome.Value(v.doubleValue())
        : new QueryOutcome.NoData("the window holds no points");
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = JSON.readTree(body == null ? "" : body);
      return n == null || n.isMissingNode() || !n.isObject() ? null : n;
    } catch (Exception e) {
      return null;
    }
  }
}
