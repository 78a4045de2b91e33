package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last manual action the controller carried out, and who asked for it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionRecord(
    @JsonPropertyDescription("The action carried out.") RequestAction action,
    @JsonPropertyDescription("The requester's identity as given in the request, when given.")
        String requestedBy,
    @JsonPropertyDescription(
            "The field manager that wrote the request (from managedFields), e.g. kubectl-patch.")
        String fieldManager,
    @JsonPropertyDescription("When the request was written (from managedFields, RFC 3339).")
        String requestedAt,
    @JsonPropertyDescription("When the controller carried it out (RFC 3339).") String handledAt,
    @JsonPropertyDescription("What it did, or why it was refused.") String result) {}
