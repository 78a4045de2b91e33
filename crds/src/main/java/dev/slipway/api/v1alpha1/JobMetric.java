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
            "The Job's spec, as in a Job (template with its pod spec, backoffLimit). It runs in the Rollout's namespace as the ServiceAccount its pod spec names (default: the namespace's default), never as the controller's; Job checks are refused in the controller's own namespace. {{args.NAME}} may stand in any string value (e.g. a container's args: \"http://{{args.canaryService}}:8080/\"); it is replaced value by value and cannot change the spec's shape. backoffLimit defaults to 0 (a failed test fails), restartPolicy to Never; activeDeadlineSeconds and ttlSecondsAfterFinished come from deadline and ttlAfterFinished. It is validated by the Job API when the Job is created: a rejection is an Error measurement with the API server's message.")
        JobSpec spec,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long the Job may run (its activeDeadlineSeconds); past it the Job is stopped and the measurement is Error, so a hung test never holds the canary. Defaults to 10m.")
        String deadline,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long a finished Job and its pods are kept for people to read (its ttlSecondsAfterFinished); at least 1m. Defaults to 10m. An abort, a rollback or a newer revision deletes a Job still running at once.")
        String ttlAfterFinished,
    @Min(0)
        @Max(200)
        @JsonPropertyDescription(
            "How many of the last log lines of each container go into the evidence, with the exit codes (at most 2 KiB per container; values after secret-looking keys, bearer tokens and URL user info are redacted). Defaults to 20.")
        Integer logLines) {}
