package dev.slipway.e2e.cluster;

import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Sh;
import dev.slipway.e2e.tools.TempDirs;
import dev.slipway.testing.TestTime;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real, container-less Kubernetes control plane built from the Go module proxy
 * (e2e/controlplane/build.sh): etcd and kube-apiserver with RBAC, optionally
 * kube-controller-manager, kube-scheduler, and KWOK fake nodes or one real node (kubelet,
 * containerd, runc, a CNI bridge). Everything binds 127.0.0.1, but for the real node's pod bridge.
 */
public final class LocalControlPlane implements Cluster {
  public static final String K8S_VERSION = "1.32.4";
  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

  private final Path bin;
  private final Path dir;
  private final Nodes nodes;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> tokens = new ArrayList<>();
  private int apiPort;
  private Path adminKubeconfig;
  private ClusterCerts certs;
  private KubernetesClient admin;
  private RealNode realNode;

  /** What runs pods: nothing, KWOK's fake node, or a real kubelet with containers. */
  enum Nodes {
    NONE,
    KWOK,
    REAL
  }

  private LocalControlPlane(Path bin, Nodes nodes) {
    this.bin = bin;
    this.nodes = nodes;
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
    Path base =
        cache != null
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "slipway");
    return base.resolve("k8s").resolve(K8S_VERSION + "-linux-amd64");
  }

  public static boolean available() {
    Path b = binDir();
    return Files.isExecutable(b.resolve("etcd")) && Files.isExecutable(b.resolve("kube-apiserver"));
  }

  /** API server and etcd only: fast, enough for admission and reconciler tests. */
  public static LocalControlPlane apiOnly() {
    return start(Nodes.NONE);
  }

  /** The full plane: controllers, scheduler and a KWOK node, so ReplicaSets get Ready pods. */
  public static LocalControlPlane withNodes() {
    return start(Nodes.KWOK);
  }

  /**
   * The full plane with one real node instead of KWOK: pods are containers, images come from tars
   * ({@link #node()}). Needs root and the node binaries ({@link RealNode#unavailableReason}).
   */
  public static LocalControlPlane withRealNode() {
    return start(Nodes.REAL);
  }

  /**
   * Started, or a second try when a process exited at once: its ports are chosen free just before
   * it binds them, and a cluster starting beside it in another lane may take one in between (ci42:
   * the API-only plane's start failed that way once). The first failure's log tail is printed.
   */
  private static LocalControlPlane start(Nodes nodes) {
    try {
      return startOnce(nodes);
    } catch (EarlyExit e) {
      System.out.println("local control plane: " + e.getMessage() + "; starting it again");
      return startOnce(nodes);
    }
  }

  /** A control-plane process exited before the API server was ready. */
  private static final class EarlyExit extends IllegalStateException {
    EarlyExit(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static LocalControlPlane startOnce(Nodes nodes) {
    LocalControlPlane cp = new LocalControlPlane(binDir(), nodes);
    // Ctrl-C or SIGTERM of the JVM must not leave control-plane processes behind.
    Runtime.getRuntime().addShutdownHook(new Thread(cp::close, "control-plane-teardown"));
    try {
      cp.boot();
      return cp;
    } catch (RuntimeException | IOException e) {
      String tails = cp.deadProcessLogs();
      cp.close();
      String message =
          "local control plane failed to start; logs in " + cp.dir + ": " + e.getMessage() + tails;
      if (!tails.isEmpty()) throw new EarlyExit(message, e);
      throw new IllegalStateException(message, e);
    }
  }

  /** The last lines of each exited process's log (its logs go with the cluster's directory). */
  private String deadProcessLogs() {
    StringBuilder b = new StringBuilder();
    for (var e : logs.entrySet()) {
      if (e.getValue().isAlive()) continue;
      try {
        List<String> lines = Files.readAllLines(e.getKey());
        b.append("\n  ")
            .append(e.getKey().getFileName())
            .append(" (exited): ")
            .append(
                String.join("\n    ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
      } catch (IOException ignored) {
        b.append("\n  ").append(e.getKey().getFileName()).append(" (exited, no log)");
      }
    }
    return b.toString();
  }

  private final java.util.Map<Path, Process> logs = new java.util.LinkedHashMap<>();

  /**
   * Who wrote each Rollout's status and records, ReplicaSets and Services, and the controller's
   * Leases with their holders, as the API server saw them (one JSON event per line, with the
   * writer's user agent): the shard benchmark checks that every Rollout was written only by the
   * replica holding its shard; LeaderElectionE2ETest says who wrote after a woken old leader.
   * Nothing else is audited.
   */
  public Path auditLog() {
    return dir.resolve("audit.log");
  }

  private List<String> audit() throws IOException {
    Path policy = dir.resolve("audit-policy.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
        - level: Metadata
          verbs: ["create", "update", "patch"]
          resources:
          - group: slipway.dev
            resources: ["rollouts/status", "rolloutrecords"]
        - level: Metadata
          verbs: ["create", "update", "patch", "delete"]
          resources:
          - group: apps
            resources: ["replicasets", "replicasets/scale"]
          - group: ""
            resources: ["services"]
        - level: Request
          verbs: ["create", "update", "patch"]
          namespaces: ["slipway-system"]
          resources:
          - group: coordination.k8s.io
            resources: ["leases"]
        - level: None
        """);
    return List.of(
        "--audit-policy-file=" + policy,
        "--audit-log-path=" + auditLog(),
        "--audit-log-format=json",
        "--audit-log-maxsize=0");
  }

  private void boot() throws IOException {
    int etcdPort = Ports.free();
    int peerPort = Ports.free();
    apiPort = Ports.free();
    spawn(
        "etcd",
        List.of(
            bin.resolve("etcd").toString(),
            "--name=default",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-cluster=default=http://127.0.0.1:" + peerPort,
            "--unsafe-no-fsync=true",
            "--log-level=warn"));

    String[] sa = Pem.rsaKeyPair();
    Files.writeString(dir.resolve("sa.key"), sa[0]);
    Files.writeString(dir.resolve("sa.pub"), sa[1]);
    Files.writeString(dir.resolve("tokens.csv"), ADMIN_TOKEN + ",admin,admin-uid,system:masters\n");
    // Our own CA, so that in-cluster clients (pods, a container run by hand) can verify the API
    // server with the ca.crt they are given; the pod bridge's host side is a name it answers to.
    List<String> ips = new ArrayList<>(List.of("127.0.0.1", "10.96.0.1"));
    if (nodes == Nodes.REAL) {
      realNode = RealNode.prepare(dir, bin);
      ips.add(realNode.gateway());
    }
    certs = ClusterCerts.create(dir, ips);
    List<String> tls =
        List.of(
            "--tls-cert-file=" + certs.serverCert(), "--tls-private-key-file=" + certs.serverKey());
    List<String> apiserver =
        new ArrayList<>(
            List.of(
                bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--authorization-mode=RBAC",
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--endpoint-reconciler-type=none",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                "--allow-privileged=true",
                // Logs and exec reach a kubelet at its node IP, never by a name resolved through
                // DNS.
                "--kubelet-preferred-address-types=InternalIP"));
    apiserver.addAll(tls);
    apiserver.addAll(audit());
    spawn("kube-apiserver", apiserver);
    adminKubeconfig = kubeconfig("admin", ADMIN_TOKEN);
    admin = client(ADMIN_TOKEN);
    waitReady();
    if (nodes != Nodes.NONE) {
      startNodes();
    }
  }

  private void startNodes() throws IOException {
    // Test infrastructure runs as cluster-admin; only the Slipway controller is held to least
    // privilege.
    Path kcm = adminKubeconfig;
    List<String> controllerManager =
        new ArrayList<>(
            List.of(
                bin.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + kcm,
                "--authentication-kubeconfig=" + kcm,
                "--authorization-kubeconfig=" + kcm,
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--leader-elect=false",
                // The PersistentVolume binder runs: a StatefulSet's claims bind to the hostPath
                // volumes a test makes (TraefikE2ETest's StatefulSet keeps data across a rollback).
                "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-attachdetach,-ttl,-bootstrapsigner,-tokencleaner",
                "--service-account-private-key-file=" + dir.resolve("sa.key"),
                "--use-service-account-credentials=false",
                "--concurrent-replicaset-syncs=5"));
    // Publishes kube-root-ca.crt, the ca.crt of every pod's ServiceAccount volume.
    controllerManager.add("--root-ca-file=" + certs.caCert());
    spawn("kube-controller-manager", controllerManager);
    Path sched = adminKubeconfig;
    spawn(
        "kube-scheduler",
        List.of(
            bin.resolve("kube-scheduler").toString(),
            "--kubeconfig=" + sched,
            "--authentication-kubeconfig=" + sched,
            "--authorization-kubeconfig=" + sched,
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            "--leader-elect=false"));
    if (nodes == Nodes.REAL) {
      realNode.start(admin, adminKubeconfig, apiPort);
    } else {
      Kwok.start(this, bin, dir, adminKubeconfig);
    }
  }

  void spawn(String name, List<String> command) throws IOException {
    Path log = dir.resolve(name + ".log");
    Process p = Daemons.start(command, log);
    processes.add(p);
    logs.put(log, p);
    if (name.equals("kube-apiserver")) apiServer = p;
  }

  private Process apiServer;

  /**
   * An API server outage: the process is frozen (SIGSTOP) for {@code outage}, then goes on
   * (SIGCONT). Requests hang meanwhile, as across a dead network, and everything the cluster holds
   * is intact afterwards. Resumed even if the wait is interrupted.
   */
  public void freezeApiServer(Duration outage) {
    Sh.signal(apiServer, "STOP");
    try {
      Await.sleep(outage.toMillis());
    } finally {
      Sh.signal(apiServer, "CONT");
    }
  }

  private Path kubeconfig(String user, String token) throws IOException {
    Path p = Kubeconfigs.write(dir, "https://127.0.0.1:" + apiPort, null, user, token);
    tokens.add(p);
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
    Config c =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("https://127.0.0.1:" + apiPort)
            .withTrustCerts(true)
            .withOauthToken(token)
            .withNamespace("default")
            .withRequestTimeout(30_000)
            .build();
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  private void waitReady() {
    Instant deadline = Instant.now().plus(TestTime.of(Duration.ofSeconds(90)));
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
      Await.sleep(250);
    }
    throw new IllegalStateException("kube-apiserver not ready in 90s: " + last);
  }

  public int apiPort() {
    return apiPort;
  }

  /** The CA that signed the API server's certificate (what a pod finds as ca.crt). */
  public Path caCert() {
    return certs.caCert();
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public String describe() {
    String parts =
        switch (nodes) {
          case NONE -> "etcd, kube-apiserver";
          case KWOK -> "etcd, kube-apiserver, controller-manager, scheduler, KWOK";
          case REAL ->
              "etcd, kube-apiserver, controller-manager, scheduler, a real node: kubelet, containerd, runc, CNI bridge "
                  + (realNode == null ? "" : realNode.bridge());
        };
    return "local control plane v" + K8S_VERSION + " (" + parts + ") on 127.0.0.1:" + apiPort;
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
    return nodes != Nodes.NONE;
  }

  @Override
  public boolean fakePods() {
    return nodes == Nodes.KWOK;
  }

  /**
   * The real node, for image imports and the pods' way to the API server; empty unless
   * withRealNode.
   */
  public Optional<RealNode> node() {
    return Optional.ofNullable(realNode);
  }

  @Override
  public synchronized void close() {
    if (realNode != null) {
      // The node goes first, while the API server can still tell its kubelet to stop the pods.
      if (admin != null) {
        realNode.drain(admin);
      }
      realNode.close();
      realNode = null;
    }
    if (admin != null) {
      admin.close();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    // Its etcd, logs and the real node's pod volumes: some 140 MB a cluster.
    TempDirs.delete(dir);
  }
}
