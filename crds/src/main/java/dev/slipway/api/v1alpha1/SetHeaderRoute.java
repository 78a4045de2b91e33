package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Send the requests of one segment (all conditions met) to the canary, whatever the weight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SetHeaderRoute(
    @Size(max = 8)
        @JsonPropertyDescription(
            "Conditions that must all hold. Empty or absent removes the segment.")
        List<SegmentMatch> match) {

  public List<SegmentMatch> matchOrEmpty() {
    return match == null ? List.of() : match;
  }
}
