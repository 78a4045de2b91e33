package dev.slipway.analysis.spec;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how to ask a Prometheus-compatible server. Credentials are resolved by the caller (the
 * controller reads them from a Secret) and are never part of what is recorded: see {@link
 * #address()}.
 *
 * @param profile how the built-in queries are spelled
 * @param revisionLabel the series label carrying the pod-template hash, for pod-based profiles
 * @param caPem PEM certificates to trust for https, in place of the JVM's defaults; null for the
 *     defaults
 * @param grpcFailureCodes for the GrpcServer profile, gRPC codes that fail a call besides {@link
 *     GrpcCodes#ALWAYS_FAILING}
 */
public record PrometheusTarget(
    URI address,
    QueryProfile profile,
    String revisionLabel,
    Duration timeout,
    Credentials credentials,
    Map<String, String> headers,
    boolean insecureSkipTlsVerify,
    String caPem,
    Set<String> grpcFailureCodes)
    implements MetricSource {

  public static final String DEFAULT_REVISION_LABEL = "slipway_pod_template_hash";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public PrometheusTarget {
    Objects.requireNonNull(address, "address");
    profile = profile == null ? QueryProfile.PrometheusClient : profile;
    revisionLabel =
        revisionLabel == null || revisionLabel.isBlank() ? DEFAULT_REVISION_LABEL : revisionLabel;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    credentials = credentials == null ? Credentials.NONE : credentials;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    grpcFailureCodes = grpcFailureCodes == null ? Set.of() : Set.copyOf(grpcFailureCodes);
    for (String code : grpcFailureCodes) {
      if (!code.matches("[A-Z][A-Za-z]{1,31}")) {
        throw new IllegalArgumentException(
            "grpcFailureCodes: " + code + " is not a gRPC code name");
      }
    }
    if (!revisionLabel.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw new IllegalArgumentException(
          "revisionLabel " + revisionLabel + " is not a Prometheus label name");
    }
  }

  /** Without extra gRPC failure codes. */
  public PrometheusTarget(
      URI address,
      QueryProfile profile,
      String revisionLabel,
      Duration timeout,
      Credentials credentials,
      Map<String, String> headers,
      boolean insecureSkipTlsVerify,
      String caPem) {
    this(
        address,
        profile,
        revisionLabel,
        timeout,
        credentials,
        headers,
        insecureSkipTlsVerify,
        caPem,
        null);
  }

  public static PrometheusTarget at(String address) {
    return new PrometheusTarget(URI.create(address), null, null, null, null, null, false, null);
  }

  public PrometheusTarget withTimeout(Duration t) {
    return new PrometheusTarget(
        address,
        profile,
        revisionLabel,
        t,
        credentials,
        headers,
        insecureSkipTlsVerify,
        caPem,
        grpcFailureCodes);
  }

  public PrometheusTarget withCredentials(Credentials c) {
    return new PrometheusTarget(
        address,
        profile,
        revisionLabel,
        timeout,
        c,
        headers,
        insecureSkipTlsVerify,
        caPem,
        grpcFailureCodes);
  }

  public PrometheusTarget withTls(boolean insecure, String ca) {
    return new PrometheusTarget(
        address,
        profile,
        revisionLabel,
        timeout,
        credentials,
        headers,
        insecure,
        ca,
        grpcFailureCodes);
  }

  public PrometheusTarget withProfile(QueryProfile p) {
    return new PrometheusTarget(
        address,
        p,
        revisionLabel,
        timeout,
        credentials,
        headers,
        insecureSkipTlsVerify,
        caPem,
        grpcFailureCodes);
  }

  public PrometheusTarget withGrpcFailureCodes(Set<String> codes) {
    return new PrometheusTarget(
        address,
        profile,
        revisionLabel,
        timeout,
        credentials,
        headers,
        insecureSkipTlsVerify,
        caPem,
        codes);
  }

  /** The address as recorded in evidence: no user-info, no query string. */
  @Override
  public String safeAddress() {
    return MetricSource.safe(address);
  }

  @Override
  public String kind() {
    return "prometheus";
  }

  @Override
  public String toString() {
    return "PrometheusTarget[" + safeAddress() + ", " + profile + "]";
  }
}
