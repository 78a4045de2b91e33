package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.stream.Collectors;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = PrometheusSpec.ADDRESS_RULE,
    message = PrometheusSpec.ADDRESS_MESSAGE,
    fieldPath = ".address")
@ValidationRule(
    value = "!has(self.grpcFailureCodes) || (has(self.profile) && self.profile == 'GrpcServer')",
    message =
        "grpcFailureCodes: only with profile GrpcServer, whose success rate counts gRPC codes",
    fieldPath = ".grpcFailureCodes")
public record PrometheusSpec(
    @Required
        @Size(min = 1, max = 2048)
        @Pattern(PrometheusSpec.ADDRESS_PATTERN)
        @JsonPropertyDescription(
            "Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090. No credentials in the URL: use auth.")
        String address,
    @JsonPropertyDescription(
            "How the built-in metrics are spelled: PrometheusClient (http_requests_total), Micrometer (http_server_requests_seconds), Istio (istio_requests_total), Traefik (traefik_service_requests_total) or GrpcServer (grpc_server_handled_total, failures by gRPC code). Defaults to PrometheusClient; docs/analysis.md has the queries.")
        Profile profile,
    @Size(max = 128)
        @Pattern("^[a-zA-Z_][a-zA-Z0-9_]*$")
        @JsonPropertyDescription(
            "Series label holding the pod-template hash (relabelled from the pod label slipway.dev/pod-template-hash). Defaults to slipway_pod_template_hash.")
        String revisionLabel,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Time limit of one query attempt. Defaults to 10s. Failed attempts are retried with backoff.")
        String timeout,
    @JsonPropertyDescription(
            "Credentials, read from a Secret in the Rollout's namespace. They are never recorded or logged.")
        PrometheusAuth auth,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Extra request headers, e.g. X-Scope-OrgID for a multi-tenant backend. Not for secrets: use auth.")
        List<HeaderSpec> headers,
    @JsonPropertyDescription("Skip TLS certificate verification. For test setups only.")
        Boolean insecureSkipTlsVerify,
    @JsonPropertyDescription(
            "PEM CA bundle to trust for an https address, from a Secret in the Rollout's namespace, instead of the JVM's default trust store.")
        SecretKeyRef caCert,
    @Size(max = 16)
        @JsonPropertyDescription(
            "GrpcServer profile only: gRPC codes that count as failures besides Unavailable, Internal, Unknown and DeadlineExceeded (say ResourceExhausted, for a service whose callers cannot retry it). Codes a caller causes, such as NotFound or InvalidArgument, are successes unless named here.")
        List<GrpcCode> grpcFailureCodes) {

  /** Without extra gRPC failure codes (every profile but GrpcServer, and what older specs say). */
  public PrometheusSpec(
      String address,
      Profile profile,
      String revisionLabel,
      String timeout,
      PrometheusAuth auth,
      List<HeaderSpec> headers,
      Boolean insecureSkipTlsVerify,
      SecretKeyRef caCert) {
    this(
        address,
        profile,
        revisionLabel,
        timeout,
        auth,
        headers,
        insecureSkipTlsVerify,
        caCert,
        null);
  }

  /**
   * Hosts the controller's runtime policy always refuses, where the URL spells them literally:
   * metadata services and the API server's Service names (and, by prefix, link-local addresses).
   * Names that resolve there, and other spellings (upper case, IPv4-mapped), are caught by {@code
   * lint} and when a run starts. CEL compares prefixes only, never a regular expression or a URL
   * parse, so the rule stays within the API server's cost budget however deeply a provider is
   * nested.
   */
  public static final List<String> NEVER_QUERIED_HOSTS =
      List.of(
          "metadata",
          "metadata.google.internal",
          "metadata.internal",
          "instance-data",
          "instance-data.ec2.internal",
          "kubernetes",
          "kubernetes.default",
          "kubernetes.default.svc",
          "100.100.100.200",
          "[fd00:ec2::254]");

  public static final List<String> NEVER_QUERIED_PREFIXES =
      List.of("169.254.", "[fe80:", "kubernetes.default.svc.");

  /** The lists above as CEL list literals (annotations need constants; a test keeps them equal). */
  public static final String NEVER_QUERIED_HOSTS_CEL =
      "['metadata', 'metadata.google.internal', 'metadata.internal', 'instance-data', "
          + "'instance-data.ec2.internal', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', '100.100.100.200', '[fd00:ec2::254]']";

  public static final String NEVER_QUERIED_PREFIXES_CEL =
      "['169.254.', '[fe80:', 'kubernetes.default.svc.']";

  /**
   * The admission rule every provider address is held to (an absent address passes: the provider's
   * own default is a public API).
   */
  public static final String ADDRESS_RULE =
      "!has(self.address) || !['http://', 'https://'].exists(s, "
          + NEVER_QUERIED_PREFIXES_CEL
          + ".exists(p, self.address.startsWith(s + p))"
          + " || "
          + NEVER_QUERIED_HOSTS_CEL
          + ".exists(h, self.address.startsWith(s + h) && (size(self.address) == size(s + h)"
          + " || self.address.startsWith(s + h + ':') || self.address.startsWith(s + h + '/'))))";

  public static final String ADDRESS_MESSAGE =
      "address: a link-local or metadata address, or the Kubernetes API server, which analysis may never query";

  /** How a provider address is written: http or https, no credentials, no query string. */
  public static final String ADDRESS_PATTERN = "^https?://[^\\s@/?#]+(/[^\\s?#]*)?$";

  public static String cel(List<String> l) {
    return l.stream().map(x -> "'" + x + "'").collect(Collectors.joining(", ", "[", "]"));
  }

  /** Exactly what the CEL rule decides, for tests: the address as written. */
  public static boolean refusedAtAdmission(String address) {
    for (String scheme : List.of("http://", "https://")) {
      if (NEVER_QUERIED_PREFIXES.stream().anyMatch(p -> address.startsWith(scheme + p)))
        return true;
      for (String h : NEVER_QUERIED_HOSTS) {
        String at = scheme + h;
        if (address.startsWith(at)
            && (address.length() == at.length()
                || address.startsWith(at + ":")
                || address.startsWith(at + "/"))) {
          return true;
        }
      }
    }
    return false;
  }

  public enum Profile {
    PrometheusClient,
    Micrometer,
    Istio,
    Traefik,
    GrpcServer
  }

  /** gRPC status codes as the gRPC Prometheus interceptors spell them in grpc_code. */
  public enum GrpcCode {
    Canceled,
    Unknown,
    InvalidArgument,
    DeadlineExceeded,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    OutOfRange,
    Unimplemented,
    Internal,
    Unavailable,
    DataLoss,
    Unauthenticated
  }
}
