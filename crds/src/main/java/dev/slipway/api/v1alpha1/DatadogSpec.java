package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Datadog's metrics query API as a metric's provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = PrometheusSpec.ADDRESS_RULE,
    message = PrometheusSpec.ADDRESS_MESSAGE,
    fieldPath = ".address")
@ValidationRule(
    value = "!has(self.aggregator) || !has(self.apiVersion) || self.apiVersion == 'v2'",
    message =
        "aggregator: only the v2 API reduces a window by an aggregator (v1 reads the last point)",
    fieldPath = ".aggregator")
public record DatadogSpec(
    @JsonPropertyDescription(
            "The Datadog site of the organisation: datadoghq.com (US1, the default), us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com, ap2.datadoghq.com or ddog-gov.com. The API is asked at https://api.<site>.")
        @Pattern(
            "^(datadoghq\\.com|us3\\.datadoghq\\.com|us5\\.datadoghq\\.com|datadoghq\\.eu|ap1\\.datadoghq\\.com|ap2\\.datadoghq\\.com|ddog-gov\\.com)$")
        String site,
    @Size(max = 2048)
        @Pattern(PrometheusSpec.ADDRESS_PATTERN)
        @JsonPropertyDescription(
            "Ask this address instead of the site's API, e.g. a proxy. The controller's address policy applies, as to Prometheus.")
        String address,
    @JsonPropertyDescription(
            "v2 (the default) posts to /api/v2/query/scalar and reads the value the aggregator reduces the window to; v1 asks /api/v1/query and reads the last point of the series. Either way the query must select one series: aggregate it (sum:, avg:).")
        ApiVersion apiVersion,
    @JsonPropertyDescription(
            "v2 only: how the window's points become one value: last (the default), avg, min, max, sum, mean, l2norm, area or percentile.")
        Aggregator aggregator,
    @Required
        @JsonPropertyDescription(
            "The API key (sent as DD-API-KEY), from a Secret of the Rollout's namespace labelled slipway.dev/analysis-credentials=true. Never recorded.")
        SecretKeyRef apiKey,
    @Required
        @JsonPropertyDescription(
            "The application key (sent as DD-APPLICATION-KEY), from a Secret labelled like apiKey's. Never recorded.")
        SecretKeyRef appKey,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Time limit of one attempt. Defaults to 10s. A 5xx, a time-out or a 429 is retried (three attempts; a 429's Retry-After or X-RateLimit-Reset of up to 10s is waited out).")
        String timeout) {

  public enum ApiVersion {
    v1,
    v2
  }

  public enum Aggregator {
    last,
    avg,
    min,
    max,
    sum,
    mean,
    l2norm,
    area,
    percentile
  }
}
