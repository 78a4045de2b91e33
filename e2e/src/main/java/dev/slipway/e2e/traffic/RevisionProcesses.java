package dev.slipway.e2e.traffic;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a revision's pods: one sample-app process on 127.0.0.1 per ReplicaSet that has
 * replicas, configured from the ReplicaSet's pod template env (ERROR_RATE, LATENCY_MS), so a
 * Rollout's template change really changes what the canary serves. KWOK pods have no containers;
 * these processes are what traffic and Prometheus reach.
 */
public final class RevisionProcesses implements AutoCloseable {
  public static final String HASH_LABEL = RouteSplit.HASH_LABEL;

  /** A running revision: its hash, the port it listens on, and the settings it was started with. */
  public record Revision(String hash, int port, Process process, String settings) {}

  private final Map<String, Revision> running = new ConcurrentHashMap<>();

  /**
   * Starts processes for ReplicaSets with replicas and stops the rest; true when anything changed.
   */
  public synchronized boolean sync(List<ReplicaSet> replicaSets) {
    boolean changed = false;
    List<String> wanted = new ArrayList<>();
    for (ReplicaSet rs : replicaSets) {
      String hash =
          rs.getMetadata().getLabels() == null
              ? null
              : rs.getMetadata().getLabels().get(HASH_LABEL);
      Integer replicas = rs.getSpec().getReplicas();
      if (hash == null || replicas == null || replicas == 0) continue;
      wanted.add(hash);
      if (!running.containsKey(hash)) {
        running.put(
            hash, launch(hash, rs.getSpec().getTemplate().getSpec().getContainers().get(0)));
        changed = true;
      }
    }
    for (String hash : List.copyOf(running.keySet())) {
      if (!wanted.contains(hash)) {
        stop(running.remove(hash));
        changed = true;
      }
    }
    return changed;
  }

  public Map<String, Revision> running() {
    return Map.copyOf(running);
  }

  public Integer port(String hash) {
    Revision r = hash == null ? null : running.get(hash);
    return r == null ? null : r.port();
  }

  private static Revision launch(String hash, Container c) {
    String errorRate = env(c, "ERROR_RATE", "0");
    String latency = env(c, "LATENCY_MS", "0");
    List<String> cmd =
        List.of(
            System.getProperty("java.home") + "/bin/java",
            "-XX:+UseSerialGC",
            "-Xmx48m",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.slipway.samples.app.SampleApp",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--error-rate",
            errorRate,
            "--latency-ms",
            latency,
            "--version",
            c.getImage());
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("sample-app listening on 127.0.0.1:")) {
        p.destroyForcibly();
        throw new IllegalStateException("sample app for " + hash + " did not start: " + line);
      }
      int port =
          Integer.parseInt(
              line.substring("sample-app listening on 127.0.0.1:".length()).split(" ", -1)[0]);
      Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "sample-app-" + hash);
      drain.setDaemon(true);
      drain.start();
      return new Revision(hash, port, p, "errorRate=" + errorRate + " latencyMs=" + latency);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String env(Container c, String name, String fallback) {
    if (c.getEnv() == null) return fallback;
    return c.getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(fallback);
  }

  private static void stop(Revision r) {
    r.process().destroy();
    try {
      if (!r.process().waitFor(5, TimeUnit.SECONDS)) r.process().destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      r.process().destroyForcibly();
    }
  }

  @Override
  public synchronized void close() {
    running.values().forEach(RevisionProcesses::stop);
    running.clear();
  }
}
