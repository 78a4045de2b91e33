package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One condition of a segment: a request header, a cookie, or (GRPCRoutes only) a gRPC method.
 * Gateway API has no cookie match, so a cookie becomes an anchored regular expression on the Cookie
 * header.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.header) ? 1 : 0) + (has(self.cookie) ? 1 : 0) + (has(self.grpcMethod) ? 1 : 0) == 1",
    message = "each match names exactly one of header, cookie, grpcMethod")
@ValidationRule(
    value = "has(self.grpcMethod) != has(self.value)",
    message = "a header or cookie match needs a value; a grpcMethod match takes none",
    fieldPath = ".value")
@ValidationRule(
    value = "!has(self.grpcMethod) || !has(self.type)",
    message = "a grpcMethod match is Exact: it takes no type",
    fieldPath = ".type")
@ValidationRule(
    value = "!has(self.cookie) || !has(self.type) || self.type == 'Exact'",
    message = "a cookie match is Exact only (it becomes a regular expression on the Cookie header)")
@ValidationRule(
    value =
        "!has(self.header) || !(self.header.lowerAscii() in ['cookie', 'authorization', 'proxy-authorization'])",
    message = "match a cookie with cookie:, and never route on credentials",
    fieldPath = ".header")
@ValidationRule(
    value =
        "!"
            + SegmentMatch.CREDENTIAL_WORDS_CEL
            + ".exists(w, (has(self.header) && self.header.lowerAscii().contains(w))"
            + " || (has(self.cookie) && self.cookie.lowerAscii().contains(w)))",
    message =
        "never route on a credential: a header or cookie whose name holds token, key, secret, auth, session or password"
            + " would put its value in plain text in a route that anyone who can read routes can read")
public record SegmentMatch(
    @Size(min = 1, max = 256)
        @Pattern("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$")
        @JsonPropertyDescription("Request header name.")
        String header,
    @Size(min = 1, max = 128)
        @Pattern("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$")
        @JsonPropertyDescription(
            "Cookie name; the request matches when it carries this cookie with exactly this value.")
        String cookie,
    @Size(min = 1, max = 1024)
        @JsonPropertyDescription(
            "The value to match (required for header and cookie): exact, or an RE2 regular expression for type RegularExpression (headers only).")
        String value,
    @JsonPropertyDescription(
            "Exact (default) or RegularExpression (headers only; how much of RE2 a gateway supports is its own).")
        Type type,
    @JsonPropertyDescription(
            "A gRPC method (GRPCRoutes only): its calls go to the canary. Needs trafficRouting.gatewayAPI.grpcRoutes and no httpRoutes.")
        GrpcMethodMatch grpcMethod) {

  public enum Type {
    Exact,
    RegularExpression
  }

  /**
   * Names of headers and cookies that carry credentials (lower case, matched anywhere in the name).
   */
  public static final String CREDENTIAL_LIKE = "token|key|secret|auth|session|passw";

  static final String CREDENTIAL_WORDS_CEL =
      "['token', 'key', 'secret', 'auth', 'session', 'passw']";

  public Type typeOrDefault() {
    return type == null ? Type.Exact : type;
  }

  public SegmentMatch(String header, String cookie, String value, Type type) {
    this(header, cookie, value, type, null);
  }

  public static SegmentMatch header(String name, String value) {
    return new SegmentMatch(name, null, value, null);
  }

  public static SegmentMatch cookie(String name, String value) {
    return new SegmentMatch(null, name, value, null);
  }

  public static SegmentMatch grpcMethod(String service, String method) {
    return new SegmentMatch(null, null, null, null, new GrpcMethodMatch(service, method));
  }
}
