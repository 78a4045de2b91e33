package dev.slipway.e2e.workload;

import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Sh;
import dev.slipway.testing.TestTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The controller as its own OS process (same classpath), authenticated as its ServiceAccount, so a
 * test can SIGKILL it the way a node failure or an OOM kill would, and start it again.
 */
public final class ControllerProcess implements AutoCloseable {
  private final Path kubeconfig;
  private final Path log;
  private Process process;
  private int port;

  public ControllerProcess(Cluster cp) {
    this(cp, "controller-process");
  }

  /**
   * A named replica, logging to its own file (several run side by side in the leader-election
   * tests).
   */
  public ControllerProcess(Cluster cp, String name) {
    this.kubeconfig = Stacks.controllerKubeconfig(cp);
    this.log = cp.dir().resolve(name + ".log");
  }

  public ControllerProcess start() {
    return start(Map.of());
  }

  /**
   * Starts with extra environment, e.g. SLIPWAY_FAULT_HALT for the crash-consistency tests, on the
   * suite's classpath and with the client compiler only: these replicas live a minute or two, and
   * the server compiler's work would not pay for itself in that time (ci51: the controllers' C2
   * threads used 155 CPU-seconds of a run that keeps both cores three-quarters busy). The
   * benchmarks run the JIT the image runs ({@link #startAsShipped}).
   */
  public ControllerProcess start(Map<String, String> env) {
    return start(env, List.of("-XX:TieredStopAtLevel=1"), System.getProperty("java.class.path"));
  }

  /** On the suite's classpath with the JVM's default JIT, as the image runs it: for benchmarks. */
  public ControllerProcess startAsShipped() {
    return start(Map.of(), List.of(), System.getProperty("java.class.path"));
  }

  /**
   * Starts with extra JVM options and a classpath of our choosing: the benchmarks run the
   * controller's own runtime classpath (what the image holds), not the test suite's.
   */
  public ControllerProcess start(
      Map<String, String> env, List<String> jvmOptions, String classpath) {
    port = freeLoopbackPort();
    List<String> cmd =
        new ArrayList<>(
            List.of(System.getProperty("java.home") + "/bin/java", "-XX:+UseSerialGC", "-Xmx256m"));
    cmd.addAll(jvmOptions);
    // For profiling a benchmark by hand, e.g.
    // -Dslipway.e2e.controllerJvmOptions=-XX:StartFlightRecording=filename=/tmp/c.jfr
    String extra = System.getProperty("slipway.e2e.controllerJvmOptions", "").strip();
    if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
    cmd.addAll(
        List.of(
            "-Dslipway.kubeconfig=" + kubeconfig,
            "-Dmicronaut.server.host=127.0.0.1",
            "-Dmicronaut.server.port=" + port,
            "-cp",
            classpath,
            "dev.slipway.controller.Application"));
    process = Daemons.startAppending(cmd, log, env);
    return this;
  }

  /**
   * The controller's runtime classpath, as the image holds it: its jar (class-data archives take
   * jars only, not directories) and its dependencies (built by mvn package).
   */
  public static String productionClasspath() {
    Path root = Crds.repoRoot();
    try {
      String deps = Files.readString(root.resolve("controller/target/runtime.classpath")).strip();
      Path jar;
      try (var jars = Files.list(root.resolve("controller/target"))) {
        jar =
            jars.filter(
                    p ->
                        p.getFileName()
                            .toString()
                            .matches("slipway-controller-[^-]+(-SNAPSHOT)?\\.jar"))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IOException("no controller jar in controller/target: run mvn package"));
      }
      return jar + ":" + deps;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "controller/target/runtime.classpath missing: build the controller first", e);
    }
  }

  private static int freeLoopbackPort() {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The controller's HTTP server (health, metrics), on 127.0.0.1. */
  public URI http(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * SIGSTOP / SIGCONT: a frozen process, as in a long GC pause or a partitioned node, that later
   * wakes up.
   */
  public void freeze(boolean frozen) throws IOException, InterruptedException {
    Sh.signal(process, frozen ? "STOP" : "CONT");
  }

  /** SIGTERM, as Kubernetes sends on a rolling update: shutdown hooks run. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hooks, no goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the process to end by itself (a fault-injection halt); returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(TestTime.of(timeout).toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("controller did not exit within " + timeout);
    }
    return process.exitValue();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      try {
        freeze(false);
      } catch (IOException | RuntimeException ignored) {
        // A frozen process is killed all the same.
      }
      if (System.getProperty("slipway.e2e.controllerJvmOptions", "")
          .contains("StartFlightRecording")) {
        // SIGKILL skips the recording's dump at exit; SIGTERM with time to write it does not.
        terminate();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      kill();
    }
  }
}
