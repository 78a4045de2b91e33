package dev.slipway.analysis.provider;

import java.util.Map;

/** Moves one Prometheus API request; knows nothing of PromQL or of the reply's shape. */
public interface PrometheusTransport extends AutoCloseable {

  /**
   * GETs a Prometheus API path with its query parameters.
   *
   * @return the reply body of a 2xx answer, or of a 4xx answer that carries Prometheus's JSON error
   * @throws TransportException when there is no usable answer
   */
  String get(String path, Map<String, String> params);

  @Override
  void close();
}
