package dev.slipway.e2e.tools;

import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl port-forward TARGET :PORT} as users reach a pod: a local port on 127.0.0.1 that
 * the API server and the node's kubelet carry into the pod's own loopback. Closed, the process tree
 * goes.
 */
public final class PortForward implements AutoCloseable {
  private static final Pattern FORWARDING =
      Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)");
  private final Process process;
  private final int port;

  private PortForward(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the forward and waits until kubectl says which local port it listens on. */
  public static PortForward open(Path kubeconfig, String namespace, String target, int remotePort) {
    try {
      Process p =
          new ProcessBuilder(
                  Kubectl.binary(),
                  "--kubeconfig=" + kubeconfig,
                  "port-forward",
                  "-n",
                  namespace,
                  "--address",
                  "127.0.0.1",
                  target,
                  ":" + remotePort)
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Integer> bound =
          CompletableFuture.supplyAsync(
              () -> {
                StringBuilder seen = new StringBuilder();
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = FORWARDING.matcher(line);
                    if (m.find()) {
                      // Keep draining, so kubectl never blocks on a full pipe.
                      Thread t = new Thread(() -> out.lines().forEach(l -> {}));
                      t.setDaemon(true);
                      t.start();
                      return Integer.parseInt(m.group(1));
                    }
                    seen.append(line).append('\n');
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("kubectl port-forward ended: " + seen);
              });
      try {
        return new PortForward(
            p, bound.get(TestTime.of(Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS));
      } catch (Exception e) {
        Proc.killTree(p);
        throw new IllegalStateException("kubectl port-forward " + target + ": " + e, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The local port on 127.0.0.1. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    Proc.killTree(process);
  }
}
