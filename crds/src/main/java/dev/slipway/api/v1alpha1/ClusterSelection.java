package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Member clusters, by the name of their registration Secret or by its labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.names) != has(self.matchLabels)",
    message = "name the clusters or select them by label, not both")
public record ClusterSelection(
    @Size(min = 1, max = 64)
        @JsonPropertyDescription("Member clusters by the name of their registration Secret.")
        List<String> names,
    @JsonPropertyDescription(
            "Member clusters by the labels of their registration Secret, e.g. region: eu-west.")
        Map<String, String> matchLabels) {}
