package dev.slipway.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusResponsesTest {

  @Test
  void vectorWithOneSample() {
    QueryOutcome o =
        PrometheusResponses.instant(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.25\"]}]}}");
    assertEquals(new QueryOutcome.Value(0.25), o);
  }

  @Test
  void emptyVectorIsNoData() {
    assertInstanceOf(
        QueryOutcome.NoData.class,
        PrometheusResponses.instant(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
  }

  @Test
  void nanIsNoData() {
    assertInstanceOf(
        QueryOutcome.NoData.class,
        PrometheusResponses.instant(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}"));
  }

  @Test
  void severalSeriesIsAFailureThatSaysSo() {
    QueryOutcome o =
        PrometheusResponses.instant(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"a\":\"1\"},\"value\":[1,\"1\"]},{\"metric\":{\"a\":\"2\"},\"value\":[1,\"2\"]}]}}");
    assertTrue(((QueryOutcome.Failure) o).why().contains("2 series"));
  }

  @Test
  void prometheusErrorIsAFailureWithItsCategoryNeverItsText() {
    QueryOutcome o =
        PrometheusResponses.instant(
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error: db_password=hunter2\"}");
    String why = ((QueryOutcome.Failure) o).why();
    assertTrue(why.startsWith("prometheus refused the query: bad_data"), why);
    assertFalse(why.contains("hunter2") || why.contains("parse error"), why);
    // An errorType outside Prometheus's documented set is not repeated either.
    o =
        PrometheusResponses.instant(
            "{\"status\":\"error\",\"errorType\":\"db_password=hunter2\",\"error\":\"x\"}");
    assertTrue(
        ((QueryOutcome.Failure) o).why().startsWith("prometheus refused the query: other"),
        o.toString());
    o =
        PrometheusResponses.instant(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"hunter2\",\"result\":[]}}");
    assertFalse(((QueryOutcome.Failure) o).why().contains("hunter2"), o.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "<html>oops</html>|not JSON",
        "[]|not a JSON object",
        "{\"status\":\"success\"}|no data",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"abc\"]}]}}|not a number",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,2]}]}}|not [time",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}|unexpected resultType",
        "{\"status\":\"weird\"}|neither success nor error",
        "''|empty"
      })
  void malformedRepliesAreFailures(String body, String why) {
    QueryOutcome o = PrometheusResponses.instant(body);
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains(why), ((QueryOutcome.Failure) o).why());
  }

  @Test
  void matrixDropsNaNSamples() {
    QueryOutcome o =
        PrometheusResponses.range(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{},\"values\":[[1,\"1\"],[2,\"NaN\"],[3,\"3\"]]}]}}");
    assertEquals(new QueryOutcome.Samples(List.of(1.0, 3.0)), o);
  }
}
