package dev.slipway.e2e.traffic;

import dev.slipway.analysis.prometheus.PrometheusServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus scraping the Ready pods of an app on the real node's bridge, labelled with
 * namespace and pod-template hash as a relabelled Kubernetes scrape would be (what the pod-based
 * analysis profiles select on), beside jobs of the caller's. Kept current as pods come and go.
 */
public final class PodScrapes implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String labelKey;
  private final String labelValue;
  private final String podPrefix;
  private final int port;
  private final PrometheusServer prometheus;
  private final String otherJobs;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pod-scrapes");
            t.setDaemon(true);
            return t;
          });
  private volatile Map<String, List<String>> targets = Map.of();

  /**
   * Scrapes port {@code port} of the pods labelled {@code labelKey=labelValue} whose IP starts with
   * {@code podPrefix} (the harness's bridge), with {@code otherJobs} (scrape_configs list items)
   * kept as they are.
   */
  public PodScrapes(
      KubernetesClient client,
      String namespace,
      String labelKey,
      String labelValue,
      String podPrefix,
      int port,
      PrometheusServer prometheus,
      String otherJobs) {
    this.client = client;
    this.namespace = namespace;
    this.labelKey = labelKey;
    this.labelValue = labelValue;
    this.podPrefix = podPrefix;
    this.port = port;
    this.prometheus = prometheus;
    this.otherJobs = otherJobs;
    // Stopped by close(); poll() keeps going through a failed read.
    Future<?> unused = poller.scheduleWithFixedDelay(this::poll, 0, 500, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      Map<String, List<String>> now =
          readyByHash(client, namespace, labelKey, labelValue, podPrefix, port);
      if (!now.equals(targets)) {
        prometheus.rewriteScrapeConfigs(otherJobs + RouteSplit.scrapeConfigs(namespace, now));
        targets = now;
      }
    } catch (IOException | RuntimeException e) {
      // the cluster or Prometheus may be between states; the next poll tries again
    }
  }

  /** The scraped targets ("ip:port") by pod-template hash. */
  public Map<String, List<String>> targets() {
    return targets;
  }

  /**
   * Ready pods (not terminating) labelled {@code key=value} on the bridge, as "ip:port" by
   * pod-template hash, sorted.
   */
  static Map<String, List<String>> readyByHash(
      KubernetesClient client,
      String namespace,
      String key,
      String value,
      String podPrefix,
      int port) {
    Map<String, List<String>> now = new TreeMap<>();
    for (Pod p : client.pods().inNamespace(namespace).withLabel(key, value).list().getItems()) {
      String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
      String hash = p.getMetadata().getLabels().get(RouteSplit.HASH_LABEL);
      if (ip == null
          || hash == null
          || !ip.startsWith(podPrefix)
          || p.getMetadata().getDeletionTimestamp() != null
          || !ready(p)) {
        continue;
      }
      now.computeIfAbsent(hash, h -> new ArrayList<>()).add(ip + ":" + port);
    }
    now.values().forEach(l -> l.sort(null));
    return now;
  }

  private static boolean ready(Pod p) {
    return p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
