package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Send the requests of one segment (all conditions met) to the canary, whatever the weight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.match) || self.match.filter(m, has(m.grpcMethod)).size() <= 1",
    message = "at most one grpcMethod per segment: a call has one method",
    fieldPath = ".match")
public record SetHeaderRoute(
    @Size(max = 8)
        @JsonPropertyDescription(
            "Conditions that must all hold. Empty or absent removes the segment.")
        List<SegmentMatch> match) {

  public List<SegmentMatch> matchOrEmpty() {
    return match == null ? List.of() : match;
  }
}
