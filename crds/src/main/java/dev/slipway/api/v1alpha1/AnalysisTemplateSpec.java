package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.metrics) || self.metrics.all(m, has(m.prometheus) || has(m.web) || has(m.job) || has(m.datadog) || has(m.newRelic) || has(m.cloudWatch) || has(self.prometheus))",
    message =
        "every metric needs a provider: set spec.prometheus, or prometheus, datadog, newRelic or cloudWatch on the metric (a web check and a Job check are their own)",
    fieldPath = ".metrics")
public record AnalysisTemplateSpec(
    @Size(max = 32)
        @JsonPropertyDescription(
            "Arguments the template's queries use beyond the built-in ones (rollout, namespace, stableHash, canaryHash, stableService, canaryService, revision, service). An arg without a value must be given one by the step.")
        List<AnalysisArg> args,
    @JsonPropertyDescription("Default Prometheus for the template's metrics.")
        PrometheusSpec prometheus,
    @Required
        @Size(min = 1, max = 16)
        @JsonPropertyDescription("The metrics to measure. Names must be unique.")
        List<MetricDef> metrics) {}
