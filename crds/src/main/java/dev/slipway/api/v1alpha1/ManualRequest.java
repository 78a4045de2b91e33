package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A manual action written by a person through the status subresource. Status writes never show as
 * Argo CD drift, unlike spec writes. The controller consumes it in its next status write.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManualRequest(
    @Required
        @JsonPropertyDescription(
            "The action: Pause, Resume, Promote (one step), PromoteFull, Abort, Retry or Restart (evict the current pods one at a time, without a new revision).")
        RequestAction action,
    @Size(max = 256)
        @JsonPropertyDescription(
            "Who asks, as the kubectl plugin fills it from a SelfSubjectReview. Optional: the field manager and time are taken from managedFields either way.")
        String requestedBy) {}
