package dev.slipway.analysis.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No arg value can change what a Datadog or NRQL query means: escaped where it can be, else
 * refused.
 */
class HostedQueriesTest {
  static final Map<String, String> ARGS =
      Map.of(
          "service",
          "shop",
          "revision",
          "7d9f-abc",
          "evil",
          "shop}.rollup(sum),{*",
          "quote",
          "o'brien\\");

  @Test
  void datadogTakesTagValuesInsideATagScopeOnly() {
    assertEquals(
        "sum:trace.http.request.errors{service:shop,version:7d9f-abc}.as_count()",
        DatadogQueries.substitute(
            "sum:trace.http.request.errors{service:{{args.service}},version:{{ args.revision }}}.as_count()",
            ARGS));
    IllegalArgumentException outside =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatadogQueries.substitute("sum:{{args.service}}.hits{*}", ARGS));
    assertTrue(outside.getMessage().contains("inside a tag scope"), outside.getMessage());
    IllegalArgumentException breaking =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatadogQueries.substitute("sum:hits{service:{{args.evil}}}", ARGS));
    assertTrue(breaking.getMessage().contains("not a Datadog tag value"), breaking.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> DatadogQueries.substitute("sum:hits{service:{{args.nope}}}", ARGS));
  }

  @Test
  void nrqlTakesValuesInsideSingleQuotedStringsEscaped() {
    assertEquals(
        "SELECT count(*) FROM Transaction WHERE appName = 'shop' AND owner = 'o\\'brien\\\\'",
        Nrql.substitute(
            "SELECT count(*) FROM Transaction WHERE appName = '{{args.service}}' AND owner = '{{args.quote}}'",
            ARGS));
    IllegalArgumentException bare =
        assertThrows(
            IllegalArgumentException.class,
            () -> Nrql.substitute("SELECT count(*) FROM {{args.service}}", ARGS));
    assertTrue(bare.getMessage().contains("single-quoted"), bare.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Nrql.substitute("SELECT count(*) FROM `{{args.service}}`", ARGS));
    assertThrows(
        IllegalArgumentException.class, () -> Nrql.substitute("SELECT 'unterminated", ARGS));
    // An escaped quote in the template does not end its string.
    assertEquals(
        "SELECT 1 WHERE a = 'it\\'s shop'",
        Nrql.substitute("SELECT 1 WHERE a = 'it\\'s {{args.service}}'", ARGS));
  }

  @Test
  void cloudWatchTakesArgsInDimensionValuesOnly() {
    String filled =
        CloudWatchQueries.substitute(
            "[{\"id\":\"e\",\"metricStat\":{\"metric\":{\"namespace\":\"AWS/ApplicationELB\",\"metricName\":\"RequestCount\","
                + "\"dimensions\":[{\"name\":\"TargetGroup\",\"value\":\"tg/{{args.evil}}\"}]},\"period\":60,\"stat\":\"Sum\"}}]",
            ARGS);
    // Data the API never parses: any value is safe there, quotes and braces included.
    assertTrue(filled.contains("\"value\":\"tg/shop}.rollup(sum),{*\""), filled);
    IllegalArgumentException inExpression =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CloudWatchQueries.substitute(
                    "[{\"id\":\"q\",\"expression\":\"SEARCH('{{args.service}}', 'Sum', 60)\"}]",
                    ARGS));
    assertTrue(
        inExpression.getMessage().contains("only in a dimension's value")
            && inExpression.getMessage().contains("queries[0].expression"),
        inExpression.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CloudWatchQueries.substitute(
                "[{\"id\":\"e\",\"metricStat\":{\"metric\":{\"dimensions\":[{\"name\":\"A\",\"value\":\"{{args.nl}}\"}]}}}]",
                Map.of("nl", "a\nb")));
    assertThrows(IllegalArgumentException.class, () -> CloudWatchQueries.substitute("{}", ARGS));
  }
}
