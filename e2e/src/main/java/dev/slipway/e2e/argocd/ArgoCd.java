package dev.slipway.e2e.argocd;

import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.tools.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Argo CD (built by e2e/argocd/build.sh from its Go module) beside the local cluster, every
 * part a host process on 127.0.0.1: Redis (Debian's redis-server), the repo server, the application
 * controller and, for actions, the API server (authentication off: it listens on loopback only).
 * The cluster is registered as a declarative cluster Secret, as for any external cluster, because
 * the in-cluster one needs a pod's service-account files. Slipway's argocd-cm comes from
 * samples/argocd, as users merge it.
 */
public final class ArgoCd implements AutoCloseable {
  public static final String VERSION = System.getenv().getOrDefault("ARGOCD_VERSION", "3.2.11");
  public static final String NS = "argocd";
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final String server;
  private int apiPort;

  private ArgoCd(Path dir, String server) {
    this.dir = dir;
    this.server = server;
  }

  public static Path home() {
    String cache =
        System.getenv()
            .getOrDefault("SLIPWAY_CACHE", System.getProperty("user.home") + "/.cache/slipway");
    return Path.of(cache, "argocd", "argocd-" + VERSION);
  }

  /** Why Argo CD cannot run here, or null when it can. */
  public static String unavailableReason() {
    if (!Files.isExecutable(home().resolve("argocd")))
      return "no Argo CD at " + home() + ": run bash e2e/argocd/build.sh";
    for (String tool : List.of("redis-server", "git")) {
      if (!onPath(tool)) return "no " + tool + " on PATH (bash e2e/setup.sh installs it)";
    }
    return null;
  }

  /**
   * The API URL this cluster is registered under in Argo CD (an Application's destination.server).
   */
  public String server() {
    return server;
  }

  public static ArgoCd start(Cluster cluster, boolean apiServer) {
    String why = unavailableReason();
    if (why != null) throw new IllegalStateException(why);
    Kubectl k = new Kubectl(cluster.adminKubeconfig());
    Path dir = mkdirs(cluster.dir().resolve("argocd"));
    String server = cluster.admin().getConfiguration().getMasterUrl().replaceAll("/$", "");
    ArgoCd a = new ArgoCd(dir, server);
    try {
      check(
          k.run(
              null,
              "apply",
              "--server-side",
              "-f",
              home().resolve("crds/application-crd.yaml").toString(),
              "-f",
              home().resolve("crds/appproject-crd.yaml").toString()));
      // Right after the apply a CRD may have no conditions yet, which kubectl wait reports as an
      // error.
      for (int i = 0; ; i++) {
        Kubectl.Result w =
            k.run(
                null,
                "wait",
                "--for=condition=Established",
                "crd/applications.argoproj.io",
                "crd/appprojects.argoproj.io",
                "--timeout=60s");
        if (w.exit() == 0) break;
        if (i > 20) check(w);
        Await.sleep(250);
      }
      if (cluster.admin().namespaces().withName(NS).get() == null)
        check(k.run(null, "create", "namespace", NS));
      check(
          k.run(
              null,
              "apply",
              "-f",
              Crds.repoRoot().resolve("samples/argocd/argocd-cm.yaml").toString()));
      // Look at Git and the cluster every 5 s instead of every 3 min: no webhook tells it of a
      // commit.
      check(
          k.run(
              null,
              "-n",
              NS,
              "patch",
              "configmap",
              "argocd-cm",
              "--type=merge",
              "-p",
              "{\"data\":{\"timeout.reconciliation\":\"5s\",\"timeout.reconciliation.jitter\":\"0s\"}}"));
      check(
          k.run(
              null,
              "-n",
              NS,
              "create",
              "secret",
              "generic",
              "argocd-secret",
              "--from-literal=server.secretkey=e2e-" + System.nanoTime()));
      check(
          k.run(
              """
          apiVersion: argoproj.io/v1alpha1
          kind: AppProject
          metadata: {name: default, namespace: argocd}
          spec:
            sourceRepos: ['*']
            destinations: [{server: '*', namespace: '*'}]
            clusterResourceWhitelist: [{group: '*', kind: '*'}]
          """,
              "apply",
              "-f",
              "-"));
      String token = cluster.admin().getConfiguration().getOauthToken();
      check(
          k.run(
              """
          apiVersion: v1
          kind: Secret
          metadata:
            name: local-cluster
            namespace: argocd
            labels: {argocd.argoproj.io/secret-type: cluster}
          stringData:
            name: local
            server: %s
            config: '{"bearerToken": "%s", "tlsClientConfig": {"insecure": true}}'
          """
                  .formatted(server, token),
              "apply",
              "-f",
              "-"));
      int redis = Ports.free();
      a.spawn(
          "redis",
          List.of(
              "redis-server",
              "--port",
              String.valueOf(redis),
              "--bind",
              "127.0.0.1",
              "--save",
              "",
              "--appendonly",
              "no"),
          Map.of(),
          redis);
      int repo = Ports.free();
      Path gpg = mkdirs(dir.resolve("gnupg"));
      Path tmp = mkdirs(dir.resolve("tmp"));
      a.spawn(
          "repo-server",
          List.of(
              home().resolve("argocd-repo-server").toString(),
              "--redis",
              "127.0.0.1:" + redis,
              "--port",
              String.valueOf(repo),
              "--metrics-port",
              String.valueOf(Ports.free()),
              "--disable-tls",
              "--address",
              "127.0.0.1",
              // What a branch points at is otherwise cached for 3 min; no webhook tells the repo
              // server of a commit.
              "--revision-cache-expiration",
              "1s"),
          Map.of(
              "ARGOCD_GPG_ENABLED",
              "false",
              "ARGOCD_GNUPGHOME",
              gpg.toString(),
              "TMPDIR",
              tmp.toString()),
          repo);
      int controllerMetrics = Ports.free();
      a.spawn(
          "application-controller",
          List.of(
              home().resolve("argocd-application-controller").toString(),
              "--kubeconfig",
              cluster.adminKubeconfig().toString(),
              "--namespace",
              NS,
              "--redis",
              "127.0.0.1:" + redis,
              "--repo-server",
              "127.0.0.1:" + repo,
              "--repo-server-plaintext",
              "--metrics-port",
              String.valueOf(controllerMetrics),
              "--app-resync",
              "5",
              "--self-heal-timeout-seconds",
              "2"),
          Map.of("TMPDIR", tmp.toString()),
          controllerMetrics);
      if (apiServer) {
        a.apiPort = Ports.free();
        a.spawn(
            "server",
            List.of(
                home().resolve("argocd-server").toString(),
                "--kubeconfig",
                cluster.adminKubeconfig().toString(),
                "--namespace",
                NS,
                "--redis",
                "127.0.0.1:" + redis,
                "--repo-server",
                "127.0.0.1:" + repo,
                "--repo-server-plaintext",
                "--insecure",
                "--disable-auth",
                "--address",
                "127.0.0.1",
                "--port",
                String.valueOf(a.apiPort),
                "--metrics-port",
                String.valueOf(Ports.free()),
                "--staticassets",
                dir.toString()),
            Map.of("TMPDIR", tmp.toString()),
            a.apiPort);
      }
      return a;
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /**
   * The argocd CLI against this API server (authentication is off; the CLI still wants a token).
   */
  public Kubectl.Result cli(String... args) {
    if (apiPort == 0) throw new IllegalStateException("started without the API server");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                home().resolve("argocd").toString(),
                "--server",
                "127.0.0.1:" + apiPort,
                "--plaintext",
                "--auth-token",
                "e2e",
                "--config",
                dir.resolve("cli-config").toString()));
    cmd.addAll(List.of(args));
    Sh.Result r = Sh.run(cmd);
    return new Kubectl.Result(r.exit(), r.out());
  }

  /** The last lines of one part's log, for failure messages. */
  public String log(String part) {
    return Daemons.tail(dir.resolve(part + ".log"), 30);
  }

  private void spawn(String name, List<String> cmd, Map<String, String> env, int port) {
    Process p = Daemons.start(cmd, dir.resolve(name + ".log"), env);
    processes.add(p);
    Await.until("argocd " + name + " listening on 127.0.0.1:" + port, Duration.ofSeconds(60))
        .explaining(() -> log(name))
        .holds(
            () -> {
              if (!p.isAlive())
                throw new IllegalStateException(
                    "argocd " + name + " exited " + p.exitValue() + ":\n" + log(name));
              try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  private static Kubectl.Result check(Kubectl.Result r) {
    if (r.exit() != 0) throw new IllegalStateException("kubectl failed: " + r.out());
    return r;
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
      if (Files.isExecutable(Path.of(d, tool))) return true;
    }
    return false;
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
