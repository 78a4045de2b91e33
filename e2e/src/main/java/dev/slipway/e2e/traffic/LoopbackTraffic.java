package dev.slipway.e2e.traffic;

import dev.slipway.analysis.prometheus.PrometheusServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The e2e data plane, all on 127.0.0.1: sample-app processes per revision, a real Prometheus
 * scraping them (labelled with namespace and pod-template hash, as a relabelled Kubernetes scrape
 * would), and a request load split by the HTTPRoute's live weights. Pod and Service IPs of the
 * local cluster are fake; nothing here ever sends to them.
 */
public final class LoopbackTraffic implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String rollout;
  private final String route;
  private final PrometheusServer prometheus;
  private final RevisionProcesses processes = new RevisionProcesses();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "loopback-traffic");
            t.setDaemon(true);
            return t;
          });
  private volatile LoadGenerator.Split split = new LoadGenerator.Split(Map.of(), Map.of());
  private final LoadGenerator load;

  public LoopbackTraffic(
      KubernetesClient client,
      String namespace,
      String rollout,
      String route,
      PrometheusServer prometheus,
      int requestsPerSecond) {
    this.client = client;
    this.namespace = namespace;
    this.rollout = rollout;
    this.route = route;
    this.prometheus = prometheus;
    // Stopped by close(); poll() keeps its own counts.
    Future<?> unused = poller.scheduleWithFixedDelay(this::poll, 0, 200, TimeUnit.MILLISECONDS);
    this.load = new LoadGenerator(() -> split, requestsPerSecond, "127.0.0.1"::equals);
  }

  private void poll() {
    try {
      var rss =
          client
              .apps()
              .replicaSets()
              .inNamespace(namespace)
              .withLabel("slipway.dev/rollout", rollout)
              .list()
              .getItems();
      if (processes.sync(rss)) {
        prometheus.rewriteScrapeConfigs(scrapeConfigs());
      }
      split =
          RouteSplit.read(
              client,
              namespace,
              route,
              hash -> {
                Integer port = processes.port(hash);
                return port == null ? List.of() : List.of("127.0.0.1:" + port);
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // the cluster may be between states (a route not created yet); the next poll tries again
    }
  }

  private String scrapeConfigs() {
    Map<String, List<String>> targets = new TreeMap<>();
    processes
        .running()
        .values()
        .forEach(r -> targets.put(r.hash(), List.of("127.0.0.1:" + r.port())));
    return RouteSplit.scrapeConfigs(namespace, targets);
  }

  public Map<String, RevisionProcesses.Revision> revisions() {
    return processes.running();
  }

  public LoadGenerator load() {
    return load;
  }

  @Override
  public void close() {
    load.close();
    poller.shutdownNow();
    processes.close();
  }
}
