package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real, container-less Kubernetes control plane built from the Go module proxy
 * (e2e/controlplane/build.sh): etcd and kube-apiserver with RBAC, optionally
 * kube-controller-manager, kube-scheduler and KWOK fake nodes. Everything binds 127.0.0.1.
 */
public final class LocalControlPlane implements Cluster {
  public static final String K8S_VERSION = "1.32.4";
  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

  private final Path bin;
  private final Path dir;
  private final boolean withNodes;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> tokens = new ArrayList<>();
  private int apiPort;
  private Path adminKubeconfig;
  private KubernetesClient admin;

  private LocalControlPlane(Path bin, boolean withNodes) {
    this.bin = bin;
    this.withNodes = withNodes;
    try {
      this.dir = Files.createTempDirectory("slipway-cp-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where build.sh caches the binaries; SLIPWAY_K8S_BIN overrides. */
  public static Path binDir() {
    String env = System.getenv("SLIPWAY_K8S_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String cache = System.getenv("SLIPWAY_CACHE");
    Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "slipway");
    return base.resolve("k8s").resolve(K8S_VERSION + "-linux-amd64");
  }

  public static boolean available() {
    Path b = binDir();
    return Files.isExecutable(b.resolve("etcd")) && Files.isExecutable(b.resolve("kube-apiserver"));
  }

  /** API server and etcd only: fast, enough for admission and reconciler tests. */
  public static LocalControlPlane apiOnly() {
    return start(false);
  }

  /** The full plane: controllers, scheduler and a KWOK node, so ReplicaSets get Ready pods. */
  public static LocalControlPlane withNodes() {
    return start(true);
  }

  private static LocalControlPlane start(boolean nodes) {
    LocalControlPlane cp = new LocalControlPlane(binDir(), nodes);
    // Ctrl-C or SIGTERM of the JVM must not leave control-plane processes behind.
    Runtime.getRuntime().addShutdownHook(new Thread(cp::close, "control-plane-teardown"));
    try {
      cp.boot();
      return cp;
    } catch (RuntimeException | IOException e) {
      cp.close();
      throw new IllegalStateException("local control plane failed to start; logs in " + cp.dir + ": " + e.getMessage(), e);
    }
  }

  private void boot() throws IOException {
    int etcdPort = Ports.free();
    int peerPort = Ports.free();
    apiPort = Ports.free();
    spawn("etcd", List.of(bin.resolve("etcd").toString(),
        "--name=default", "--data-dir=" + dir.resolve("etcd"),
        "--listen-client-urls=http://127.0.0.1:" + etcdPort, "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
        "--listen-peer-urls=http://127.0.0.1:" + peerPort, "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
        "--initial-cluster=default=http://127.0.0.1:" + peerPort, "--unsafe-no-fsync=true", "--log-level=warn"));

    String[] sa = Pem.rsaKeyPair();
    Files.writeString(dir.resolve("sa.key"), sa[0]);
    Files.writeString(dir.resolve("sa.pub"), sa[1]);
    Files.writeString(dir.resolve("tokens.csv"), String.join("\n",
        ADMIN_TOKEN + ",admin,admin-uid,system:masters") + "\n");
    spawn("kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
        "--cert-dir=" + dir.resolve("certs"),
        "--authorization-mode=RBAC",
        "--token-auth-file=" + dir.resolve("tokens.csv"),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + dir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + dir.resolve("sa.key"),
        "--service-cluster-ip-range=10.96.0.0/16",
        "--endpoint-reconciler-type=none",
        "--enable-priority-and-fairness=false",
        "--profiling=false",
        "--allow-privileged=true"));
    adminKubeconfig = kubeconfig("admin", ADMIN_TOKEN);
    admin = client(ADMIN_TOKEN);
    waitReady();
    if (withNodes) {
      startNodes();
    }
  }

  private void startNodes() throws IOException {
    // Test infrastructure runs as cluster-admin; only the Slipway controller is held to least privilege.
    Path kcm = adminKubeconfig;
    spawn("kube-controller-manager", List.of(bin.resolve("kube-controller-manager").toString(),
        "--kubeconfig=" + kcm, "--authentication-kubeconfig=" + kcm, "--authorization-kubeconfig=" + kcm,
        "--bind-address=127.0.0.1", "--secure-port=0", "--leader-elect=false",
        "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-persistentvolume-binder,-attachdetach,-ttl,-bootstrapsigner,-tokencleaner",
        "--service-account-private-key-file=" + dir.resolve("sa.key"),
        "--use-service-account-credentials=false",
        "--concurrent-replicaset-syncs=5"));
    Path sched = adminKubeconfig;
    spawn("kube-scheduler", List.of(bin.resolve("kube-scheduler").toString(),
        "--kubeconfig=" + sched, "--authentication-kubeconfig=" + sched, "--authorization-kubeconfig=" + sched,
        "--bind-address=127.0.0.1", "--secure-port=0", "--leader-elect=false"));
    Kwok.start(this, bin, dir, adminKubeconfig);
  }

  void spawn(String name, List<String> command) throws IOException {
    Path log = dir.resolve(name + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
  }

  private Path kubeconfig(String user, String token) throws IOException {
    Path p = dir.resolve(user + ".kubeconfig");
    tokens.add(p);
    Files.writeString(p, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: local
          context: {cluster: local, user: %s, namespace: default}
        current-context: local
        """.formatted(apiPort, user, token, user));
    return p;
  }

  @Override
  public Path kubeconfigFor(String user, String token) {
    try {
      return kubeconfig(user, token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client(String token) {
    Config c = new ConfigBuilder(Config.empty())
        .withMasterUrl("https://127.0.0.1:" + apiPort)
        .withTrustCerts(true)
        .withOauthToken(token)
        .withNamespace("default")
        .withRequestTimeout(30_000)
        .build();
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  private void waitReady() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a control-plane process exited early; see " + dir);
        }
      }
      try {
        String ready = admin.raw("https://127.0.0.1:" + apiPort + "/readyz");
        if (ready != null && ready.contains("ok")) {
          // The default namespace appears a moment after readyz.
          if (admin.namespaces().withName("default").get() != null) {
            return;
          }
        }
      } catch (RuntimeException e) {
        last = e.getMessage();
      }
      sleep(250);
    }
    throw new IllegalStateException("kube-apiserver not ready in 90s: " + last);
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int apiPort() {
    return apiPort;
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public String describe() {
    return "local control plane v" + K8S_VERSION + (withNodes ? " (etcd, kube-apiserver, controller-manager, scheduler, KWOK)"
        : " (etcd, kube-apiserver)") + " on 127.0.0.1:" + apiPort;
  }

  @Override
  public KubernetesClient admin() {
    return admin;
  }

  @Override
  public Path adminKubeconfig() {
    return adminKubeconfig;
  }

  @Override
  public boolean runsPods() {
    return withNodes;
  }

  @Override
  public boolean fakePods() {
    return withNodes;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
