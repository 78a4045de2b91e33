package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A bounded summary of one analysis run; every measurement is kept in the evidence record. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisRunStatus(
    @JsonPropertyDescription("Index of the analysis step; absent for background analysis.")
        Integer step,
    @JsonPropertyDescription("Running, Successful, Failed, Inconclusive or Error.") String verdict,
    @JsonPropertyDescription("Why, in words.") String message,
    @Size(max = 16) @JsonPropertyDescription("Per-metric state.") List<MetricStatus> metrics) {}
