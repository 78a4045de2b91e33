package dev.slipway.e2e.bench;

import dev.slipway.e2e.workload.ControllerProcess;
import dev.slipway.testing.Proc;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a controller process's own figures: heap after a full GC, CPU time, and its /prometheus
 * series.
 */
final class ControllerProbe {
  private final ControllerProcess process;

  ControllerProbe(ControllerProcess process) {
    this.process = process;
  }

  String scrape() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(process.http("/prometheus"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * Passes so far, from Micronaut's /metrics/slipway.reconcile (one meter's count, all outcomes): a
   * few hundred bytes where a /prometheus scrape is megabytes at thousands of Rollouts. Polled
   * every 100 ms through a restart, the scrape itself took a core of the 2 and slowed the very
   * restart it timed. Needs ENDPOINTS_METRICS_ENABLED and ENDPOINTS_METRICS_SENSITIVE=false in the
   * controller's environment ({@link #ENV}); falls back to the scrape without them.
   */
  double passes() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(process.http("/metrics/slipway.reconcile"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) return 0; // no pass yet: the meter does not exist
    if (r.statusCode() != 200) return sum("slipway_reconcile_seconds_count", "");
    var m =
        java.util.regex.Pattern.compile("\\{\"statistic\":\"COUNT\",\"value\":([0-9.Ee+-]+)\\}")
            .matcher(r.body());
    if (!m.find()) throw new IllegalStateException("no COUNT in " + r.body());
    return Double.parseDouble(m.group(1));
  }

  /** What the controller's environment needs for {@link #passes()}. */
  static final java.util.Map<String, String> ENV =
      java.util.Map.of("ENDPOINTS_METRICS_ENABLED", "true", "ENDPOINTS_METRICS_SENSITIVE", "false");

  /** Sum of the series of {@code name} whose labels contain {@code labelPart} ("" for all). */
  double sum(String name, String labelPart) throws Exception {
    return sum(name, labelPart, null);
  }

  /** As {@link #sum(String, String)}, leaving out series whose line contains {@code exclude}. */
  double sum(String name, String labelPart, String exclude) throws Exception {
    double total = 0;
    boolean found = false;
    for (String line : scrape().lines().toList()) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        if (!labelPart.isEmpty() && !line.contains(labelPart)) continue;
        found = true;
        if (exclude != null && line.contains(exclude)) continue;
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    if (!found)
      throw new IllegalStateException(
          "no series " + name + " {" + labelPart + "} on " + process.http("/prometheus"));
    return total;
  }

  /**
   * Heap in use right after a full collection, in MiB: what the controller's state really occupies.
   * Eden is left out: a full collection empties it, so what it holds when read is garbage made
   * since (the scrape that reads it alone allocates megabytes at 10,000 Rollouts, seven series
   * each), not state.
   */
  double heapAfterGcMiB() throws Exception {
    Proc.of(System.getProperty("java.home") + "/bin/jcmd", Long.toString(process.pid()), "GC.run")
        .timeout(Duration.ofSeconds(120))
        .run()
        .orThrow();
    return sum("jvm_memory_used_bytes", "area=\"heap\"", "Eden") / (1024 * 1024);
  }

  /**
   * The top of a class histogram of live objects (jcmd GC.class_histogram), for finding what a
   * Rollout costs.
   */
  String histogram(int lines) throws Exception {
    String out =
        Proc.of(
                System.getProperty("java.home") + "/bin/jcmd",
                Long.toString(process.pid()),
                "GC.class_histogram")
            .timeout(Duration.ofSeconds(120))
            .run()
            .orThrow()
            .out();
    return String.join("\n", out.lines().limit(lines + 3).toList());
  }

  /** Writes the flight recording started with -XX:StartFlightRecording to {@code file}. */
  void dumpFlightRecording(String file) throws Exception {
    Proc.of(
            System.getProperty("java.home") + "/bin/jcmd",
            Long.toString(process.pid()),
            "JFR.dump",
            "filename=" + file)
        .timeout(Duration.ofSeconds(120))
        .run()
        .orThrow();
  }

  /** CPU time the controller process has used so far, in ms. */
  double cpuMillis() {
    return ProcessHandle.of(process.pid())
        .flatMap(h -> h.info().totalCpuDuration())
        .map(Duration::toMillis)
        .orElse(-1L);
  }
}
