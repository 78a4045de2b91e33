package dev.slipway.analysis.spec;

/**
 * Naming conventions of the request metrics the built-in queries read. Pod-based profiles select a
 * revision by its pod-template-hash label; service-based ones by the stable or canary Service.
 */
public enum QueryProfile {
  /**
   * Prometheus client libraries: http_requests_total{code}, http_request_duration_seconds_bucket.
   */
  PrometheusClient,
  /**
   * Micrometer: http_server_requests_seconds_count{status}, http_server_requests_seconds_bucket.
   */
  Micrometer,
  /**
   * Istio's standard metrics: istio_requests_total{response_code},
   * istio_request_duration_milliseconds_bucket.
   */
  Istio,
  /**
   * What a Traefik Gateway saw at the edge: traefik_service_requests_total{code} and
   * traefik_service_request_duration_seconds_bucket, per backend Service (service label
   * "namespace-name-http-port@kubernetesgateway"; needs Traefik's addServicesLabels).
   */
  Traefik,
  /**
   * gRPC servers with the gRPC Prometheus interceptors (grpc-ecosystem's go-grpc-middleware,
   * java-grpc-prometheus): grpc_server_handled_total{grpc_code} and grpc_server_handling_seconds,
   * pod-labelled. A call fails by its gRPC code (see {@code GrpcCodes}), never by the HTTP status,
   * which is 200 for most gRPC errors.
   */
  GrpcServer
}
