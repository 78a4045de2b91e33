package dev.slipway.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PrometheusResponsesTest {

  @Test
  void vectorWithOneSample() {
    QueryOutcome o = PrometheusResponses.instant("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.25\"]}]}}");
    assertEquals(new QueryOutcome.Value(0.25), o);
  }

  @Test
  void emptyVectorIsNoData() {
    assertInstanceOf(QueryOutcome.NoData.class,
        PrometheusResponses.instant("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
  }

  @Test
  void nanIsNoData() {
    assertInstanceOf(QueryOutcome.NoData.class, PrometheusResponses.instant(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}"));
  }

  @Test
  void severalSeriesIsAFailureThatSaysSo() {
    QueryOutcome o = PrometheusResponses.instant("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"a\":\"1\"},\"value\":[1,\"1\"]},{\"metric\":{\"a\":\"2\"},\"value\":[1,\"2\"]}]}}");
    assertTrue(((QueryOutcome.Failure) o).why().contains("2 series"));
  }

  @Test
  void prometheusErrorIsAFailureWithItsMessage() {
    QueryOutcome o = PrometheusResponses.instant("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}");
    assertTrue(((QueryOutcome.Failure) o).why().contains("bad_data: parse error"), o.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "<html>oops</html>|not JSON",
      "[]|not a JSON object",
      "{\"status\":\"success\"}|no data",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"abc\"]}]}}|not a number",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,2]}]}}|not [time",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}|unexpected resultType",
      "{\"status\":\"weird\"}|status is 'weird'",
      "''|empty"})
  void malformedRepliesAreFailures(String body, String why) {
    QueryOutcome o = PrometheusResponses.instant(body);
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains(why), ((QueryOutcome.Failure) o).why());
  }

  @Test
  void matrixDropsNaNSamples() {
    QueryOutcome o = PrometheusResponses.range("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
        + "[{\"metric\":{},\"values\":[[1,\"1\"],[2,\"NaN\"],[3,\"3\"]]}]}}");
    assertEquals(new QueryOutcome.Samples(java.util.List.of(1.0, 3.0)), o);
  }
}
