package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Arrays;
import java.util.List;

/**
 * Metrics to measure: from templates, inline, or both. Used for a step and for background analysis.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.templates) && size(self.templates) > 0) || (has(self.metrics) && size(self.metrics) > 0)",
    message = "an analysis needs at least one template or metric")
@ValidationRule(
    value =
        "!has(self.metrics) || self.metrics.all(m, has(m.prometheus) || has(m.web) || has(m.job) || has(m.datadog) || has(m.newRelic) || has(m.cloudWatch) || has(self.prometheus))",
    message =
        "every inline metric needs a provider: set prometheus on the analysis, or prometheus, datadog, newRelic or cloudWatch on the metric (a web check and a Job check are their own)",
    fieldPath = ".metrics")
public record AnalysisStep(
    @Size(max = 8)
        @JsonPropertyDescription(
            "AnalysisTemplates, in the Rollout's namespace, whose metrics to measure.")
        List<TemplateRef> templates,
    @Size(max = 16) @JsonPropertyDescription("Metrics defined inline.") List<MetricDef> metrics,
    @Size(max = 32) @JsonPropertyDescription("Values for the templates' declared args.")
        List<AnalysisArg> args,
    @JsonPropertyDescription("Default Prometheus for the inline metrics.")
        PrometheusSpec prometheus) {

  public static AnalysisStep templates(String... names) {
    return new AnalysisStep(Arrays.stream(names).map(TemplateRef::new).toList(), null, null, null);
  }

  public List<TemplateRef> templatesOrEmpty() {
    return templates == null ? List.of() : templates;
  }

  public List<MetricDef> metricsOrEmpty() {
    return metrics == null ? List.of() : metrics;
  }

  public List<AnalysisArg> argsOrEmpty() {
    return args == null ? List.of() : args;
  }
}
