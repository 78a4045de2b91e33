package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisArg(
    @Required
        @Size(min = 1, max = 63)
        @Pattern("^[A-Za-z][A-Za-z0-9_-]*$")
        @JsonPropertyDescription("Name used in queries as {{args.NAME}}.")
        String name,
    @Size(max = 1024)
        @JsonPropertyDescription(
            "The value. Queries receive it escaped for the PromQL string it sits in, so it cannot change the query.")
        String value) {}
