package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Placeholder shape for an analysis step; its metrics are defined by the analysis feature. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisStep(
    @Size(max = 16)
    @JsonPropertyDescription("Names of AnalysisTemplates to run at this step.")
    List<String> templates) {}
