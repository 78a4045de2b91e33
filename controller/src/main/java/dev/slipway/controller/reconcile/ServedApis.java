package dev.slipway.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which optional APIs the cluster serves, asked once when the informers are made. Asked without
 * retries and within seconds: the client's own retries would hold the start for minutes where no
 * API server answers (the image's class-data training run has none). An API not known to be served
 * gets no informer; its objects are still read directly on every pass.
 */
final class ServedApis {
  private static final Logger LOG = LoggerFactory.getLogger(ServedApis.class);
  private static final int TIMEOUT_MS = 5_000;

  private ServedApis() {}

  static boolean serves(KubernetesClient client, Class<? extends HasMetadata> type) {
    Config quick =
        new ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(TIMEOUT_MS)
            .withRequestTimeout(TIMEOUT_MS)
            .build();
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(quick).build()) {
      return c.supports(type);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not ask the API server whether it serves {} ({}): not watched; read directly",
          type.getSimpleName(),
          e.getMessage());
      return false;
    }
  }
}
