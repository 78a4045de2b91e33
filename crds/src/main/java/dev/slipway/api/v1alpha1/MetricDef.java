package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One metric, as written in a template or inline in a step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.builtin) ? 1 : 0) + (has(self.query) ? 1 : 0) + (has(self.sequential) ? 1 : 0) + (has(self.web) ? 1 : 0) + (has(self.cloudWatch) && !has(self.sequential) ? 1 : 0) + (has(self.job) ? 1 : 0) == 1",
    message =
        "set exactly one of builtin, query, sequential, web, job and cloudWatch (which holds its own queries)")
@ValidationRule(
    value =
        "(has(self.prometheus) ? 1 : 0) + (has(self.datadog) ? 1 : 0) + (has(self.newRelic) ? 1 : 0) + (has(self.cloudWatch) ? 1 : 0) + (has(self.web) ? 1 : 0) + (has(self.job) ? 1 : 0) <= 1",
    message =
        "a metric has one provider: set at most one of prometheus, datadog, newRelic and cloudWatch (a web check and a Job check are their own provider)")
@ValidationRule(
    value = "!has(self.job) || (!has(self.threshold) && !has(self.baseline))",
    message = "a Job check is judged by the Job's outcome: drop threshold and baseline",
    fieldPath = ".job")
@ValidationRule(
    value = "!has(self.web) || (has(self.threshold) && !has(self.baseline))",
    message = "a web check is judged by its threshold alone: set threshold, and drop baseline",
    fieldPath = ".web")
@ValidationRule(
    value =
        "!(has(self.datadog) || has(self.newRelic)) || has(self.query) || (has(self.sequential) && has(self.sequential.counts))",
    message =
        "datadog and newRelic take queries in their own language: set query, or sequential with counts (builtin is spelled in PromQL and needs a Prometheus)",
    fieldPath = ".query")
@ValidationRule(
    value =
        "!has(self.sequential) || !has(self.sequential.counts) || has(self.datadog) || has(self.newRelic) || has(self.cloudWatch)",
    message =
        "sequential.counts are asked of datadog, newRelic or cloudWatch, which total events over an interval; a Prometheus gives its counters through the profile",
    fieldPath = ".sequential.counts")
@ValidationRule(
    value =
        "!has(self.sequential) || !has(self.sequential.counts) || (has(self.cloudWatch) ? !has(self.sequential.counts.requests) && !has(self.sequential.counts.errors) && self.cloudWatch.queries.exists(q, q.id == 'requests') && self.cloudWatch.queries.exists(q, q.id == 'errors') : has(self.sequential.counts.requests) && has(self.sequential.counts.errors))",
    message =
        "counts: with cloudWatch, queries with ids requests and errors; else counts.requests and counts.errors",
    fieldPath = ".sequential.counts")
@ValidationRule(
    value =
        "!(has(self.datadog) || has(self.newRelic) || has(self.cloudWatch)) || !has(self.baseline) || !has(self.baseline.mannWhitney)",
    message = "baseline.mannWhitney compares range samples, which only a Prometheus gives",
    fieldPath = ".baseline")
@ValidationRule(
    value =
        "has(self.threshold) || has(self.baseline) || has(self.slo) || has(self.sequential) || has(self.job)",
    message =
        "a metric needs a threshold, a baseline, or both (sloBurnRate, sequential and job judge by their own rule)")
@ValidationRule(
    value = "!has(self.sequential) || (!has(self.threshold) && !has(self.baseline))",
    message =
        "a sequential metric is judged against the baseline by its own test: drop threshold and baseline",
    fieldPath = ".sequential")
@ValidationRule(
    value = "(has(self.builtin) && self.builtin == 'sloBurnRate') == has(self.slo)",
    message = "builtin sloBurnRate needs slo, and slo belongs to sloBurnRate only",
    fieldPath = ".slo")
@ValidationRule(
    value = "!has(self.slo) || !has(self.baseline)",
    message =
        "sloBurnRate is judged against its SLO, not against the stable revision: drop baseline",
    fieldPath = ".baseline")
@ValidationRule(
    value = "!has(self.query) || !has(self.baseline) || has(self.baseline.better)",
    message =
        "a custom query compared with a baseline must say which way is better (baseline.better)",
    fieldPath = ".baseline")
public record MetricDef(
    @Required
        @Size(min = 1, max = 63)
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @JsonPropertyDescription("Name of the metric, unique within the analysis.")
        String name,
    @JsonPropertyDescription(
            "A built-in metric, spelled by the provider's query profile: successRate (share of non-5xx responses, 0 to 1), latencyP99 (seconds), or sloBurnRate (the canary's error-budget burn against slo; the value is the worst condition's burn rate divided by its factor, so above 1 burns too fast and fails).")
        BuiltinMetric builtin,
    @JsonPropertyDescription(
            "The SLO for builtin sloBurnRate. Its windows replace window; a threshold, if set, replaces the implied max of 1.")
        SloSpec slo,
    @JsonPropertyDescription(
            "The sequential judge: the canary's 5xx and slow-response counts against the stable's at every look, read from the profile's counters, with a false-rollback probability of at most alpha however often it looks. Fails at the first look whose evidence reaches 1/alpha; passes only when the exposure has passed and it could have seen the declared effects.")
        SequentialDef sequential,
    @Size(min = 1, max = 4096)
        @JsonPropertyDescription(
            "A query that reduces to a single value, in the provider's language: PromQL ({{args.NAME}} only inside double-quoted strings), a Datadog metrics query or NRQL (see datadog and newRelic).")
        String query,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Range over which rates and quantiles are taken. Defaults to 1m.")
        String window,
    @JsonPropertyDescription("Range the canary's value must fall in.") ThresholdSpec threshold,
    @JsonPropertyDescription("Comparison with the stable revision over the same window.")
        BaselineSpec baseline,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Time between measurements (for a sequential metric, between looks). Defaults to 30s; 10s for a sequential metric.")
        String interval,
    @Min(1) @Max(1000) @JsonPropertyDescription("Number of measurements. Defaults to 1.")
        Integer count,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Wait before the first measurement, so the canary has traffic to measure. Defaults to 0s.")
        String initialDelay,
    @Min(0)
        @JsonPropertyDescription(
            "Failed measurements tolerated; one more fails the metric. Defaults to 0.")
        Integer failureLimit,
    @Min(0)
        @JsonPropertyDescription(
            "Inconclusive measurements tolerated; one more makes the metric Inconclusive (the canary pauses). Defaults to 0.")
        Integer inconclusiveLimit,
    @Min(0)
        @JsonPropertyDescription(
            "Consecutive provider errors tolerated; one more is Error (the canary is rolled back). Defaults to 4. A run never ends Successful on an error or on missing data.")
        Integer consecutiveErrorLimit,
    @JsonPropertyDescription("Measure and record the metric, but never let it decide.")
        Boolean dryRun,
    @JsonPropertyDescription(
            "The Prometheus to ask; defaults to the template's or the step's unless the metric names another provider (datadog, newRelic, web).")
        PrometheusSpec prometheus,
    @JsonPropertyDescription(
            "A web check instead of a query: an HTTP request to a URL whose JSON answer holds the value (a smoke test's verdict, a synthetic probe's error rate). Judged by threshold; no baseline, no Prometheus.")
        WebMetric web,
    @JsonPropertyDescription(
            "Datadog instead of Prometheus: query is a Datadog metrics query selecting one series, e.g. sum:trace.http.request.errors{service:shop,version:{{args.revision}}}.as_count(); {{args.NAME}} only inside a tag scope, and only values a tag can hold.")
        DatadogSpec datadog,
    @JsonPropertyDescription(
            "New Relic instead of Prometheus: query is NRQL returning one row, with its own SINCE; {{args.NAME}} only inside single-quoted strings.")
        NewRelicSpec newRelic,
    @JsonPropertyDescription(
            "Amazon CloudWatch instead of Prometheus: its queries (GetMetricData's) replace query; the value is the latest point of the one that returns data, over the metric's window.")
        CloudWatchSpec cloudWatch,
    @JsonPropertyDescription(
            "A Job check: each measurement runs a Job (e.g. a smoke test against the canary Service); succeeded is Successful, failed Failed, past its deadline Error. Outcome, exit codes and log tail go into the evidence.")
        JobMetric job) {

  /** A metric without a Job check. */
  public MetricDef(
      String name,
      BuiltinMetric builtin,
      SloSpec slo,
      SequentialDef sequential,
      String query,
      String window,
      ThresholdSpec threshold,
      BaselineSpec baseline,
      String interval,
      Integer count,
      String initialDelay,
      Integer failureLimit,
      Integer inconclusiveLimit,
      Integer consecutiveErrorLimit,
      Boolean dryRun,
      PrometheusSpec prometheus,
      WebMetric web,
      DatadogSpec datadog,
      NewRelicSpec newRelic,
      CloudWatchSpec cloudWatch) {
    this(
        name,
        builtin,
        slo,
        sequential,
        query,
        window,
        threshold,
        baseline,
        interval,
        count,
        initialDelay,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        dryRun,
        prometheus,
        web,
        datadog,
        newRelic,
        cloudWatch,
        null);
  }

  /** A metric with neither Datadog, New Relic nor CloudWatch. */
  public MetricDef(
      String name,
      BuiltinMetric builtin,
      SloSpec slo,
      SequentialDef sequential,
      String query,
      String window,
      ThresholdSpec threshold,
      BaselineSpec baseline,
      String interval,
      Integer count,
      String initialDelay,
      Integer failureLimit,
      Integer inconclusiveLimit,
      Integer consecutiveErrorLimit,
      Boolean dryRun,
      PrometheusSpec prometheus,
      WebMetric web) {
    this(
        name,
        builtin,
        slo,
        sequential,
        query,
        window,
        threshold,
        baseline,
        interval,
        count,
        initialDelay,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        dryRun,
        prometheus,
        web,
        null,
        null,
        null);
  }

  /** A metric without a web check (every Prometheus metric). */
  public MetricDef(
      String name,
      BuiltinMetric builtin,
      SloSpec slo,
      SequentialDef sequential,
      String query,
      String window,
      ThresholdSpec threshold,
      BaselineSpec baseline,
      String interval,
      Integer count,
      String initialDelay,
      Integer failureLimit,
      Integer inconclusiveLimit,
      Integer consecutiveErrorLimit,
      Boolean dryRun,
      PrometheusSpec prometheus) {
    this(
        name,
        builtin,
        slo,
        sequential,
        query,
        window,
        threshold,
        baseline,
        interval,
        count,
        initialDelay,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        dryRun,
        prometheus,
        null);
  }

  public enum BuiltinMetric {
    successRate,
    latencyP99,
    sloBurnRate
  }
}
