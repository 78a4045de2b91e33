package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** New Relic (NRQL through NerdGraph) as a metric's provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = PrometheusSpec.ADDRESS_RULE,
    message = PrometheusSpec.ADDRESS_MESSAGE,
    fieldPath = ".address")
public record NewRelicSpec(
    @Required @Min(1) @JsonPropertyDescription("The account the NRQL query runs in.")
        Long accountId,
    @JsonPropertyDescription(
            "US (the default: https://api.newrelic.com/graphql) or EU (https://api.eu.newrelic.com/graphql).")
        Region region,
    @Size(max = 2048)
        @Pattern(PrometheusSpec.ADDRESS_PATTERN)
        @JsonPropertyDescription(
            "Ask this NerdGraph address instead of the region's, e.g. a proxy. The controller's address policy applies, as to Prometheus.")
        String address,
    @Required
        @JsonPropertyDescription(
            "A user key (NRAK-…, sent as API-Key), from a Secret of the Rollout's namespace labelled slipway.dev/analysis-credentials=true. Never recorded.")
        SecretKeyRef apiKey,
    @Size(max = 256)
        @JsonPropertyDescription(
            "The result column holding the value, when the query returns more than one (e.g. the alias of SELECT ... AS errorRate). A query must return one row: no FACET or TIMESERIES.")
        String resultField,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Time limit of one attempt, also passed to NRQL. Defaults to 10s. A 5xx, a time-out or a 429 is retried (three attempts).")
        String timeout) {

  public enum Region {
    US,
    EU
  }
}
