package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.List;

/**
 * A service-level objective for the sloBurnRate metric: the canary fails when it spends the error
 * budget faster than the burn-rate conditions allow (multiwindow, multi-burn-rate alerting, as in
 * the Google SRE workbook).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.target > 0.0 && self.target < 1.0",
    message = "slo.target must lie strictly between 0 and 1, e.g. 0.9995",
    fieldPath = ".target")
@ValidationRule(
    value = "!has(self.period) || self.period.matches('[1-9]')",
    message = "slo.period must be longer than 0, e.g. 30d",
    fieldPath = ".period")
public record SloSpec(
    @Required
        @JsonPropertyDescription(
            "The objective: the share of requests that must succeed (not 5xx), e.g. 0.9995 for 99.95%. The error budget is 1 - target.")
        Double target,
    @Size(max = 32)
        @Pattern(Durations.PATTERN_WITH_DAYS)
        @JsonPropertyDescription(
            "The SLO's period, e.g. 30d or 720h. Defaults to 30d. The default burn-rate conditions follow from it: 2% of the period's budget spent within 1h (and 5m), or 5% within 6h (and 30m); for 30d, 14.4x and 6x.")
        String period,
    @Size(max = 4)
        @JsonPropertyDescription(
            "Burn-rate conditions; any one met fails the measurement. Defaults to the two from the period.")
        List<BurnRateSpec> burnRates) {

  public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

  public Duration periodOrDefault() {
    return period == null ? DEFAULT_PERIOD : Durations.parseWithDays(period);
  }

  /** The conditions in force: the spec's, or the workbook's paging pair scaled to the period. */
  public List<BurnRateSpec> burnRatesOrDefault() {
    if (burnRates != null && !burnRates.isEmpty()) return burnRates;
    double hoursInPeriod = periodOrDefault().toSeconds() / 3600.0;
    return List.of(
        new BurnRateSpec(0.02 * hoursInPeriod, "1h", "5m"),
        new BurnRateSpec(0.05 * hoursInPeriod / 6, "6h", "30m"));
  }
}
