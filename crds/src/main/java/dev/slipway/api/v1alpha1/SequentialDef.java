package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The sequential judge: the canary's counts against the baseline's (the stable's pods over the same
 * interval) at every look, with an anytime-valid false-rollback guarantee.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.errors) || has(self.latency)",
    message = "a sequential metric needs errors, latency, or both")
@ValidationRule(
    value = "!has(self.alpha) || (self.alpha > 0.0 && self.alpha <= 0.5)",
    message =
        "alpha is the probability of rolling back a canary that is no worse, over the whole canary: it must be in (0, 0.5]",
    fieldPath = ".alpha")
@ValidationRule(
    value = "!has(self.power) || (self.power > 0.0 && self.power < 1.0)",
    message =
        "power is the chance of seeing the declared effect before a step may pass: it must be in (0, 1)",
    fieldPath = ".power")
@ValidationRule(
    value = "!has(self.counts) || (has(self.errors) && !has(self.latency))",
    message =
        "with counts the sequential judge runs the errors test only: the latency test plans its threshold from a Prometheus histogram's buckets",
    fieldPath = ".counts")
public record SequentialDef(
    @JsonPropertyDescription("Compare the canary's share of 5xx responses with the baseline's.")
        ErrorsTest errors,
    @JsonPropertyDescription(
            "Compare the canary's share of responses slower than the baseline's quantile with the baseline's.")
        LatencyTest latency,
    @JsonPropertyDescription(
            "The probability of rolling back a canary that is no worse than the baseline, over the whole canary however often it is looked at. Defaults to 0.05.")
        Double alpha,
    @JsonPropertyDescription(
            "The probability the test must have had of seeing each declared minDetectableEffect before a step may pass; a step without it ends Inconclusive, saying what it could have seen. Defaults to 0.8.")
        Double power,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long the canary is observed before it may pass (a crossing fails it at any look). Defaults to 5m. The metric's interval is the time between looks (defaults to 10s for sequential metrics; set it to the scrape interval).")
        String exposure,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How far back before the analysis the stable's traffic is read to plan the test (the latency threshold, the expected rates). Defaults to 10m.")
        String planningWindow,
    @JsonPropertyDescription(
            "Counts from datadog, newRelic or cloudWatch for the errors test: each side's requests and failures over each look's interval ({{args.revision}} and {{args.service}} filled in per side). With cloudWatch, its queries with ids requests and errors (stat Sum) are asked, intervals on their period's bounds.")
        CountsDef counts) {

  /** The queries a hosted provider totals over each look's interval. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CountsDef(
      @Size(min = 1, max = 4096)
          @JsonPropertyDescription(
              "The side's requests: a Datadog count metric (sum:hits{version:{{args.revision}}}.as_count()) or an NRQL count without its own window (SINCE, UNTIL, FACET, TIMESERIES, COMPARE WITH, LIMIT).")
          String requests,
      @Size(min = 1, max = 4096)
          @JsonPropertyDescription(
              "The side's failed requests, spelled as requests is. No data reads as none (a counter without events has no points), and the look's reason says so.")
          String errors,
      @Size(max = 32)
          @Pattern(Durations.PATTERN)
          @JsonPropertyDescription(
              "How long the provider takes to make a point queryable: each look's interval ends this long before the look, so that points still being ingested are counted by a later look rather than never. Defaults to 1m.")
          String ingestDelay) {}

  /** The 5xx test. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.minDetectableEffect > 0.0 && self.minDetectableEffect < 1.0",
      message =
          "errors.minDetectableEffect is an increase of the 5xx share, e.g. 0.005 for +0.5 percentage points: it must be in (0, 1)",
      fieldPath = ".minDetectableEffect")
  public record ErrorsTest(
      @Required
          @JsonPropertyDescription(
              "The smallest increase of the 5xx share the test must be able to see, as a fraction: 0.005 is +0.5 percentage points.")
          Double minDetectableEffect) {}

  /** The slow-response test. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.minDetectableEffect > 0.0",
      message =
          "latency.minDetectableEffect is a relative slow-down, e.g. 0.2 for 20% slower: it must be positive",
      fieldPath = ".minDetectableEffect")
  @ValidationRule(
      value = "!has(self.quantile) || (self.quantile > 0.5 && self.quantile < 1.0)",
      message = "latency.quantile must be in (0.5, 1), e.g. 0.99",
      fieldPath = ".quantile")
  public record LatencyTest(
      @JsonPropertyDescription(
              "The baseline quantile whose bucket bound is the threshold (fixed from the stable's histogram before the analysis). Defaults to 0.99.")
          Double quantile,
      @Required
          @JsonPropertyDescription(
              "The smallest slow-down of that quantile the test must be able to see, relative: 0.2 is 20% slower.")
          Double minDetectableEffect) {}
}
