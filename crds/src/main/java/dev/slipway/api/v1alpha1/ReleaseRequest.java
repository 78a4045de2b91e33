package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A person's request to a fleet release, written through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseRequest(
    @Required
        @JsonPropertyDescription(
            "Pause (no further wave opens; canaries in flight go on), Resume, or Abort (the open wave's canaries in flight are aborted and no further wave opens).")
        Action action,
    @Size(max = 256) @JsonPropertyDescription("Who asks, as the kubectl plugin fills it.")
        String requestedBy) {

  public enum Action {
    Pause,
    Resume,
    Abort
  }
}
