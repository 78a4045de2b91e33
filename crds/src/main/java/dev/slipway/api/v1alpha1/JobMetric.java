package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

/**
 * A Job check: each measurement runs a Job from this spec in the Rollout's namespace, and the Job's
 * outcome is the verdict.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMetric(
    @Required
        @PreserveUnknownFields
        @SchemaFrom(type = OpaqueObject.class)
        @JsonPropertyDescription(
            "A Job's spec, run in the Rollout's namespace as the ServiceAccount it names (never the controller's). {{args.NAME}} may stand in any string value. backoffLimit defaults to 0, restartPolicy to Never. The Job API validates it: a rejection is an Error.")
        JobSpec spec,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "The Job's activeDeadlineSeconds; past it the measurement is Error. Defaults to 10m.")
        String deadline,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "The Job's ttlSecondsAfterFinished, at least 1m. Defaults to 10m. A rollback or abort deletes a running Job.")
        String ttlAfterFinished,
    @Min(0)
        @Max(200)
        @JsonPropertyDescription(
            "Last log lines per container kept in the evidence (2 KiB at most, credentials redacted). Defaults to 20.")
        Integer logLines) {}
