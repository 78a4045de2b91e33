package dev.slipway.e2e.argocd;

import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Git repository served by {@code git daemon} on 127.0.0.1, as Argo CD's repo server reads one
 * from a Git host: the tests write files and commit, Argo CD fetches over git://.
 */
public final class GitServer implements AutoCloseable {
  private final Path repo;
  private final String name;
  private final int port;
  private final Process daemon;
  private Runnable onPush = () -> {};

  private GitServer(Path repo, String name, int port, Process daemon) {
    this.repo = repo;
    this.name = name;
    this.port = port;
    this.daemon = daemon;
  }

  /** An empty repository (branch main) under {@code root}, served from there. */
  public static GitServer start(Path root, String name) {
    try {
      Path repo = Files.createDirectories(root.resolve(name));
      git(repo, "init", "-q", "-b", "main");
      int port = Ports.free();
      Process d =
          Daemons.start(
              List.of(
                  "git",
                  "daemon",
                  "--base-path=" + root,
                  "--export-all",
                  "--reuseaddr",
                  "--listen=127.0.0.1",
                  "--port=" + port,
                  root.toString()),
              root.resolve("git-daemon.log"));
      GitServer g = new GitServer(repo, name, port, d);
      g.awaitServing();
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "git://127.0.0.1:" + port + "/" + name;
  }

  public GitServer write(String path, String content) {
    try {
      Path p = repo.resolve(path);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String read(String path) {
    try {
      return Files.readString(repo.resolve(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Commits everything; returns the new commit's hash. Then runs the push hook, as a Git host's
   * webhook would.
   */
  public String commit(String message) {
    git(repo, "add", "-A");
    git(
        repo,
        "-c",
        "user.email=release@example.com",
        "-c",
        "user.name=Release Engineer",
        "commit",
        "-q",
        "-m",
        message);
    String hash = git(repo, "rev-parse", "HEAD").strip();
    onPush.run();
    return hash;
  }

  /** The commit the branch points at. */
  public String head() {
    return git(repo, "rev-parse", "HEAD").strip();
  }

  /**
   * What a push tells the world, e.g. asking Argo CD to refresh (a Git host's webhook does that).
   */
  public GitServer onPush(Runnable hook) {
    this.onPush = hook;
    return this;
  }

  private void awaitServing() {
    Await.until("git daemon serving " + url(), Duration.ofSeconds(20))
        .holds(
            () -> {
              if (!daemon.isAlive())
                throw new IllegalStateException("git daemon exited " + daemon.exitValue());
              return Sh.run(List.of("git", "ls-remote", url())).exit() == 0;
            });
  }

  static String git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    return Sh.run(cmd, dir).orThrow(cmd).out();
  }

  @Override
  public void close() {
    daemon.destroy();
    try {
      if (!daemon.waitFor(5, TimeUnit.SECONDS)) daemon.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
