package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Rollouts in a member cluster, by namespace and name or label. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.names) != has(self.matchLabels)",
    message = "name the Rollouts or select them by label, not both")
public record RolloutSelection(
    @Required
        @Size(max = 63)
        @Pattern(CanaryStrategy.DNS_LABEL)
        @JsonPropertyDescription("The namespace of the Rollouts in each member cluster.")
        String namespace,
    @Size(min = 1, max = 64) @JsonPropertyDescription("The Rollouts, by name.") List<String> names,
    @JsonPropertyDescription(
            "The Rollouts, by label: every Rollout of the namespace whose labels include these.")
        Map<String, String> matchLabels) {}
