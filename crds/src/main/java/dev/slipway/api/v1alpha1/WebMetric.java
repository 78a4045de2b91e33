package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * A web check: one HTTP request per measurement, its JSON answer read at a JSONPath, judged by the
 * metric's threshold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebMetric(
    @Required
        @Size(min = 1, max = 2048)
        @Pattern("^https?://[^\\s]+$")
        @JsonPropertyDescription(
            "Where the request goes (http or https). The controller's address policy applies, as to Prometheus: link-local and metadata addresses and the API server are always refused, and with an allow-list (SLIPWAY_PROVIDER_ALLOW) only what matches it is reached; a refused address is a condition, and nothing is sent. {{args.NAME}} may appear in the query string.")
        String url,
    @JsonPropertyDescription("GET (the default) or POST.") Method method,
    @Size(max = 65536) @JsonPropertyDescription("The POST body, sent as application/json.")
        String body,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Headers, each value read from a Secret of the Rollout's namespace labelled slipway.dev/analysis-credentials=true (the opt-in Prometheus credentials take); never recorded.")
        List<WebHeader> headers,
    @Required
        @Size(min = 1, max = 512)
        @Pattern("^\\$.*")
        @JsonPropertyDescription(
            "Where the value is in the JSON answer, as a JSONPath naming one value, e.g. $.data.errorRate. A number is the value; true and false are 1 and 0; a string holding a number is that number. Nothing there (or null) is Inconclusive; anything else is an Error.")
        String jsonPath,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Time limit of each attempt (three attempts, with backoff, on a 5xx, a 429, a time-out or a connection failure). Defaults to 10s. Answers over 1 MiB are refused unread.")
        String timeout) {

  public enum Method {
    GET,
    POST
  }

  /** One header whose value comes from a Secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WebHeader(
      @Required
          @Size(min = 1, max = 256)
          @Pattern("^[A-Za-z0-9-]+$")
          @JsonPropertyDescription("Header name, e.g. Authorization.")
          String name,
      @Required
          @JsonPropertyDescription(
              "The Secret and key holding the value (the Secret labelled slipway.dev/analysis-credentials=true).")
          SecretKeyRef valueFrom) {}
}
