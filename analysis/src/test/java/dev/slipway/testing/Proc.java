package dev.slipway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one way the test harness runs a child process to completion, bounded in time: its output is
 * read on a thread of its own (so a child that never exits cannot block the caller in a read), its
 * input is written on another, and at the timeout the whole process tree is killed and the result
 * says so. A caller that read the output before {@code waitFor(timeout)} could hang forever on a
 * hung {@code helm} or {@code kubectl}; this cannot.
 *
 * <pre>
 * Proc.Result r = Proc.of("kubectl", "get", "pods").timeout(TestTime.of(Duration.ofSeconds(60))).run();
 * </pre>
 */
public final class Proc {
  /** How long a child may run when the caller names no timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private final List<String> cmd;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Path dir;
  private String stdin;
  private Duration timeout;
  private boolean mergeStderr = true;

  private Proc(List<String> cmd) {
    this.cmd = List.copyOf(cmd);
  }

  public static Proc of(String... cmd) {
    return new Proc(List.of(cmd));
  }

  public static Proc of(List<String> cmd) {
    return new Proc(cmd);
  }

  /** The working directory; the caller's when never set. */
  public Proc dir(Path dir) {
    this.dir = dir;
    return this;
  }

  public Proc env(String key, String value) {
    env.put(key, value);
    return this;
  }

  public Proc env(Map<String, String> vars) {
    env.putAll(vars);
    return this;
  }

  /** Written to the child's standard input, which is then closed (closed at once when null). */
  public Proc stdin(String text) {
    this.stdin = text;
    return this;
  }

  /**
   * The wall-clock bound, taken as given: callers scale it ({@link TestTime#of}) where load should
   * stretch it.
   */
  public Proc timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /**
   * Keep standard error apart (it goes to {@link Result#err}) instead of merging it into the
   * output.
   */
  public Proc separateStderr() {
    this.mergeStderr = false;
    return this;
  }

  /**
   * What a finished (or killed) child left: its exit code (-1 when killed at the timeout), its
   * output, its standard error when kept apart, and how long it ran.
   */
  public record Result(
      List<String> cmd, int exit, String out, String err, boolean timedOut, Duration took) {
    public boolean ok() {
      return exit == 0 && !timedOut;
    }

    /** This result, or an exception naming the command, its exit and its output. */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(describe());
      }
      return this;
    }

    public String describe() {
      String what =
          timedOut
              ? "timed out after " + took.toMillis() + " ms (process tree killed)"
              : "exited " + exit;
      String text = (out + (err.isEmpty() ? "" : "\n" + err)).strip();
      return String.join(" ", cmd) + " " + what + (text.isEmpty() ? "" : ": " + text);
    }
  }

  public Result run() {
    Duration limit = timeout != null ? timeout : DEFAULT_TIMEOUT;
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(mergeStderr);
    if (dir != null) pb.directory(dir.toFile());
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
    }
    List<Thread> helpers = new ArrayList<>();
    Drain out = new Drain(p.getInputStream());
    helpers.add(daemon(out, "proc-out " + cmd.get(0)));
    Drain err = mergeStderr ? null : new Drain(p.getErrorStream());
    if (err != null) helpers.add(daemon(err, "proc-err " + cmd.get(0)));
    helpers.add(daemon(() -> feed(p.getOutputStream(), stdin), "proc-in " + cmd.get(0)));
    boolean exited;
    try {
      exited = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // A JUnit timeout interrupts the test thread: the child must not outlive the test.
      killTree(p);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
    }
    if (!exited) killTree(p);
    for (Thread t : helpers) {
      try {
        // The pipes close when the tree is gone; a grandchild that escaped the kill and holds
        // them open must not hold us: what was read so far is returned.
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Result(
        cmd, exited ? p.exitValue() : -1, out.text(), err == null ? "" : err.text(), !exited, took);
  }

  /**
   * Kills the child and everything it started, children first, and waits briefly for them to go.
   */
  public static void killTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void feed(OutputStream in, String text) {
    try (in) {
      if (text != null) in.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The child exited or closed its input without reading it all: nothing to deliver to.
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Reads a stream to its end into memory; {@link #text} is safe to call at any time. */
  private static final class Drain implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Drain(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          synchronized (buf) {
            buf.write(chunk, 0, n);
          }
        }
      } catch (IOException e) {
        // The stream closed under us (the tree was killed): keep what came.
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
