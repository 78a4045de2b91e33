package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How Slipway authenticates to a Prometheus-compatible API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.bearerToken) ? 1 : 0) + (has(self.basic) ? 1 : 0) + (has(self.googleServiceAccount) ? 1 : 0) == 1",
    message = "set exactly one of bearerToken, basic and googleServiceAccount")
public record PrometheusAuth(
    @JsonPropertyDescription("Send Authorization: Bearer with the token in this Secret key.")
        SecretKeyRef bearerToken,
    @JsonPropertyDescription("Send HTTP basic auth with the username and password in this Secret.")
        BasicAuth basic,
    @JsonPropertyDescription(
            "A Google service account key (the JSON file Google issues), for Google Cloud Monitoring's PromQL API (address https://monitoring.googleapis.com/v1/projects/PROJECT/location/global/prometheus): exchanged for access tokens with scope monitoring.read at the key's token_uri, which the address policy must allow; sent as Bearer.")
        SecretKeyRef googleServiceAccount) {

  /** Bearer or basic, as before Google service accounts. */
  public PrometheusAuth(SecretKeyRef bearerToken, BasicAuth basic) {
    this(bearerToken, basic, null);
  }
}
