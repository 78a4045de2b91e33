package dev.slipway.e2e.traffic;

import dev.slipway.analysis.prometheus.PrometheusServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The data plane on the real node: the Rollout's pods are containers on the harness's bridge; a
 * real Prometheus scrapes each Ready pod (labelled with namespace and pod-template hash, as a
 * relabelled Kubernetes scrape would), and a load split by the HTTPRoute's live weights goes to the
 * pods themselves. It sends only to addresses on that bridge.
 */
public final class PodTraffic implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String rollout;
  private final String route;
  private final String podPrefix;
  private final int podPort;
  private final PrometheusServer prometheus;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pod-traffic");
            t.setDaemon(true);
            return t;
          });
  private volatile LoadGenerator.Split split = new LoadGenerator.Split(Map.of(), Map.of());
  private volatile Map<String, List<String>> podsByHash = Map.of();
  private final LoadGenerator load;

  public PodTraffic(
      KubernetesClient client,
      String namespace,
      String rollout,
      String route,
      String podPrefix,
      int podPort,
      PrometheusServer prometheus,
      int requestsPerSecond) {
    this.client = client;
    this.namespace = namespace;
    this.rollout = rollout;
    this.route = route;
    this.podPrefix = podPrefix;
    this.podPort = podPort;
    this.prometheus = prometheus;
    // Stopped by close(); poll() keeps its own counts.
    Future<?> unused = poller.scheduleWithFixedDelay(this::poll, 0, 200, TimeUnit.MILLISECONDS);
    this.load =
        new LoadGenerator(() -> split, requestsPerSecond, host -> host.startsWith(podPrefix));
  }

  private void poll() {
    try {
      Map<String, List<String>> now =
          PodScrapes.readyByHash(
              client, namespace, "slipway.dev/rollout", rollout, podPrefix, podPort);
      if (!now.equals(podsByHash)) {
        podsByHash = now;
        prometheus.rewriteScrapeConfigs(RouteSplit.scrapeConfigs(namespace, now));
      }
      split =
          RouteSplit.read(
              client, namespace, route, hash -> podsByHash.getOrDefault(hash, List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // the cluster may be between states; the next poll tries again
    }
  }

  /** Ready pods by revision hash, as "ip:port". */
  public Map<String, List<String>> pods() {
    return podsByHash;
  }

  public LoadGenerator load() {
    return load;
  }

  @Override
  public void close() {
    load.close();
    poller.shutdownNow();
  }
}
