package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NerdGraph's answer to an NRQL query as an outcome: one row, one numeric column (or the column
 * named). No rows, or a null value, is NoData; GraphQL errors (which NerdGraph sends with HTTP 200)
 * and several rows (a FACET or TIMESERIES query) are Failures. New Relic's own error text stays out
 * of the outcome (see {@link UpstreamText}).
 */
public final class NewRelicResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Columns NRQL adds beside the value, never the value itself. */
  private static final Set<String> BOOKKEEPING =
      Set.of("beginTimeSeconds", "endTimeSeconds", "timestamp", "facet");

  private NewRelicResponses() {}

  public static QueryOutcome value(String body, String resultField) {
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (Exception e) {
      return new QueryOutcome.Failure("New Relic's answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      return new QueryOutcome.Failure("New Relic's answer is not a GraphQL response");
    }
    if (root.path("errors").isArray() && !root.path("errors").isEmpty()) {
      UpstreamText.logged("GraphQL errors", "newrelic", root.path("errors").toString());
      return new QueryOutcome.Failure(
          "New Relic refused the query ("
              + root.path("errors").size()
              + " GraphQL error(s); the controller's debug log has them)");
    }
    JsonNode results = root.path("data").path("actor").path("account").path("nrql").path("results");
    if (!results.isArray()) {
      return new QueryOutcome.Failure("New Relic's answer has no results list");
    }
    if (results.isEmpty()) return new QueryOutcome.NoData("the query returned no rows");
    if (results.size() > 1) {
      return new QueryOutcome.Failure(
          "the query returned "
              + results.size()
              + " rows (FACET or TIMESERIES?): reduce it to one");
    }
    JsonNode row = results.get(0);
    JsonNode v;
    if (resultField != null) {
      if (!row.has(resultField)) {
        return new QueryOutcome.Failure("the row has no column " + resultField);
      }
      v = row.get(resultField);
    } else {
      List<String> candidates = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!BOOKKEEPING.contains(e.getKey())) candidates.add(e.getKey());
      }
      if (candidates.size() != 1) {
        return new QueryOutcome.Failure(
            "the row has "
                + candidates.size()
                + " columns "
                + candidates
                + ": name one (resultField)");
      }
      v = row.get(candidates.get(0));
    }
    if (v == null || v.isNull()) return new QueryOutcome.NoData("the value is null (no events?)");
    if (v.isNumber() && Double.isFinite(v.doubleValue())) {
      return new QueryOutcome.Value(v.doubleValue());
    }
    return new QueryOutcome.Failure("the value is not a number");
  }
}
