package dev.slipway.e2e.cluster;

import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Sh;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real node joined to the local control plane: kubelet (built with the control plane),
 * containerd, runc and the CNI bridge plugin (Debian's packages), so pods are real containers in
 * network namespaces on a bridge the harness made. No registry is reachable: images come from tars
 * ({@link #importImage}). Every path, socket and address is this instance's own, and {@link #close}
 * (or the next start, after a crash) takes all of it down again.
 */
public final class RealNode implements AutoCloseable {
  public static final String NAME = "slipway-node";
  static final Path OWNERS = Path.of("/run/slipway-nodes");

  private final Path dir;
  private final Path bin;
  private final PodNetwork net;
  private final List<Process> processes = new ArrayList<>();
  private ApiForwarder forwarder;

  private RealNode(Path dir, Path bin, PodNetwork net) {
    this.dir = dir;
    this.bin = bin;
    this.net = net;
  }

  /** Whether this machine can run a real node, and if not, why. Null when it can. */
  public static String unavailableReason() {
    Path bin = LocalControlPlane.binDir();
    if (!Files.isExecutable(bin.resolve("kubelet"))
        || !Files.isRegularFile(bin.resolve("pause.tar"))) {
      return "kubelet or the pause image not built (e2e/node/build.sh)";
    }
    for (String tool :
        List.of(
            "/usr/bin/containerd",
            "/usr/bin/ctr",
            "/usr/sbin/runc",
            "/usr/lib/cni/bridge",
            "/usr/lib/cni/host-local",
            "/usr/lib/cni/loopback")) {
      if (!Files.isExecutable(Path.of(tool))) {
        return tool + " missing (apt-get install containerd runc containernetworking-plugins)";
      }
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "a node needs root (bridges, mounts, cgroups)";
    }
    return null;
  }

  /**
   * Step one, before the API server starts: the pod network, whose host side its certificate names.
   */
  static RealNode prepare(Path dir, Path bin) throws IOException {
    reapOrphans();
    PodNetwork net = PodNetwork.create(dir);
    RealNode node = new RealNode(dir, bin, net);
    node.register();
    return node;
  }

  /** Step two, once the API server answers: containerd, the sandbox image, kubelet, Ready. */
  void start(KubernetesClient admin, Path adminKubeconfig, int apiPort) throws IOException {
    forwarder = new ApiForwarder(net.gateway(), apiPort, apiPort);
    startContainerd();
    importImage(bin.resolve("pause.tar"));
    startKubelet(adminKubeconfig);
    awaitReady(admin);
  }

  String gateway() {
    return net.gateway();
  }

  /**
   * Where pods reach the API server (the in-cluster KUBERNETES_SERVICE_HOST / _PORT to give them).
   */
  public String apiHostForPods() {
    return net.gateway();
  }

  public int apiPortForPods() {
    return forwarder.port();
  }

  /** The bridge's prefix, e.g. "10.244.7.": every pod address starts with it. */
  public String podAddressPrefix() {
    return net.prefix();
  }

  public String bridge() {
    return net.bridge();
  }

  /**
   * Loads a docker-archive or OCI image tar into the node's containerd, as a registry pull would.
   */
  public void importImage(Path tar) {
    ctr("images", "import", "--no-unpack=false", tar.toString());
  }

  /**
   * Gives an image the node holds another name, as if pulled under it: pods that name it with the
   * default pull policy (IfNotPresent, any tag but latest) run it without a pull. Returns the names
   * the node's containerd now holds, so a caller can check before any pod asks.
   */
  public List<String> tagImage(String source, String target) {
    ctr("images", "tag", "--force", source, target);
    return ctr("images", "ls", "-q").lines().toList();
  }

  /** ctr against this node's containerd, in the namespace the kubelet's CRI uses. */
  private String ctr(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of("ctr", "--address", socket().toString(), "-n", "k8s.io"));
    cmd.addAll(List.of(args));
    return Sh.ok(cmd.toArray(String[]::new));
  }

  private Path socket() {
    return dir.resolve("containerd/containerd.sock");
  }

  private void register() throws IOException {
    Files.createDirectories(OWNERS);
    Files.writeString(
        OWNERS.resolve(net.bridge()),
        ProcessHandle.current().pid() + "\n" + dir + "\n" + net.subnet() + "\n");
  }

  private void startContainerd() throws IOException {
    Path c = Files.createDirectories(dir.resolve("containerd"));
    Path config = c.resolve("config.toml");
    Files.writeString(
        config,
        """
        version = 2
        root = "%1$s/root"
        state = "%1$s/state"
        disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
        [grpc]
          address = "%1$s/containerd.sock"
        [ttrpc]
          address = "%1$s/containerd.sock.ttrpc"
        [plugins."io.containerd.internal.v1.opt"]
          path = "%1$s/opt"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "localhost/slipway/pause:3.10"
          disable_apparmor = true
          # This host drops CAP_SYS_RESOURCE, so no process may lower its oom_score_adj: without
          # this, runc fails every sandbox (kubelet asks -998 for pause) with "can't get final child's PID".
          restrict_oom_score_adj = true
          stream_server_address = "127.0.0.1"
          # Not the default 10010: a second node's containerd on this machine would want it too.
          stream_server_port = "%3$d"
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                BinaryName = "/usr/sbin/runc"
                # runc's state, by default shared by every containerd on the machine, is this node's.
                Root = "%1$s/runc"
                SystemdCgroup = false
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "%2$s"
            max_conf_num = 1
        """
            .formatted(c, dir.resolve("net.d"), Ports.free()));
    spawn(
        "containerd",
        List.of("/usr/bin/containerd", "--config", config.toString(), "--log-level", "warn"));
    Await.until("containerd answering", Duration.ofSeconds(30))
        .every(Duration.ofMillis(200))
        .explaining(() -> "see " + dir.resolve("containerd.log"))
        .holds(
            () -> {
              if (!processes.get(0).isAlive()) {
                throw new IllegalStateException(
                    "containerd exited; see " + dir.resolve("containerd.log"));
              }
              return Sh.run(List.of("ctr", "--address", socket().toString(), "version")).exit()
                  == 0;
            });
  }

  private void startKubelet(Path kubeconfig) throws IOException {
    Path k = Files.createDirectories(dir.resolve("kubelet"));
    Path config = dir.resolve("kubelet-config.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        # Served on the pod bridge's host side only, for the API server's logs and exec.
        address: %1$s
        port: 10250
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: %2$d
        # A throwaway test node: the API server's token auth guards the cluster, the kubelet
        # listens only on a bridge that nothing outside this machine can reach.
        authentication:
          anonymous: {enabled: true}
          webhook: {enabled: false}
        authorization: {mode: AlwaysAllow}
        cgroupDriver: cgroupfs
        # Each node's pods under its own root: a kubelet kills the processes of pod cgroups it
        # does not know, so two nodes on one machine must never share kubepods.
        cgroupRoot: %5$s
        containerRuntimeEndpoint: unix://%3$s
        failSwapOn: false
        enforceNodeAllocatable: []
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
        resolvConf: ""
        podLogsDir: %4$s
        serializeImagePulls: false
        makeIPTablesUtilChains: false
        nodeStatusUpdateFrequency: 5s
        syncFrequency: 10s
        fileCheckFrequency: 60s
        maxPods: 60
        """
            .formatted(
                net.gateway(),
                Ports.free(),
                socket(),
                dir.resolve("pod-logs"),
                "/" + cgroupRoot(net.bridge())));
    createCgroupRoot(cgroupRoot(net.bridge()));
    spawn(
        "kubelet",
        List.of(
            bin.resolve("kubelet").toString(),
            "--config=" + config,
            "--kubeconfig=" + kubeconfig,
            "--root-dir=" + k,
            "--cert-dir=" + k.resolve("pki"),
            "--hostname-override=" + NAME,
            "--node-ip=" + net.gateway(),
            "--node-labels=slipway.dev/node=real",
            "--v=1"));
  }

  private void awaitReady(KubernetesClient admin) {
    String[] last = {"not registered"};
    Await.until("node " + NAME + " Ready", Duration.ofMinutes(2))
        .every(Duration.ofMillis(500))
        .explaining(() -> last[0] + "; see " + dir.resolve("kubelet.log"))
        .holds(
            () -> {
              for (Process p : processes) {
                if (!p.isAlive()) {
                  throw new IllegalStateException(
                      "a node process exited early; see " + dir + " (kubelet.log, containerd.log)");
                }
              }
              Node n = admin.nodes().withName(NAME).get();
              if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) {
                return false;
              }
              last[0] =
                  n.getStatus().getConditions().stream()
                      .filter(c -> "Ready".equals(c.getType()))
                      .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                      .findFirst()
                      .orElse("no Ready condition");
              return last[0].startsWith("True");
            });
  }

  private void spawn(String name, List<String> command) throws IOException {
    Process p = Daemons.start(command, dir.resolve(name + ".log"));
    processes.add(p);
  }

  /**
   * Stops the node's pods through the kubelet (so each sandbox gets its CNI DEL), then the node,
   * then whatever is left: tasks, shims, network namespaces, mounts, the bridge.
   */
  void drain(KubernetesClient admin) {
    try {
      admin.pods().inAnyNamespace().withField("spec.nodeName", NAME).withGracePeriod(0).delete();
      Await.until("the node's tasks gone", Duration.ofSeconds(30))
          .every(Duration.ofMillis(500))
          .triedHolds(() -> tasks().isEmpty());
    } catch (RuntimeException e) {
      System.err.println("teardown: draining " + NAME + ": " + e.getMessage());
    }
  }

  private List<String> tasks() {
    Sh.Result r =
        Sh.run(
            List.of("ctr", "--address", socket().toString(), "-n", "k8s.io", "tasks", "ls", "-q"));
    return r.exit() == 0 ? r.out().lines().filter(l -> !l.isBlank()).toList() : List.of();
  }

  @Override
  public synchronized void close() {
    if (forwarder != null) {
      forwarder.close();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      if (i == 0) {
        removeContainers(socket());
      }
      stop(processes.get(i));
    }
    processes.clear();
    cleanUp(dir, net);
    try {
      Files.deleteIfExists(OWNERS.resolve(net.bridge()));
    } catch (IOException e) {
      System.err.println("teardown: " + e.getMessage());
    }
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeContainers(Path socket) {
    if (!Files.exists(socket)) {
      return;
    }
    String a = socket.toString();
    for (String t :
        Sh.run(List.of("ctr", "--address", a, "-n", "k8s.io", "tasks", "ls", "-q"))
            .out()
            .lines()
            .filter(l -> !l.isBlank())
            .toList()) {
      Sh.quietly("ctr", "--address", a, "-n", "k8s.io", "tasks", "kill", "-s", "SIGKILL", t);
    }
    Await.sleep(300);
    for (String t :
        Sh.run(List.of("ctr", "--address", a, "-n", "k8s.io", "tasks", "ls", "-q"))
            .out()
            .lines()
            .filter(l -> !l.isBlank())
            .toList()) {
      Sh.quietly("ctr", "--address", a, "-n", "k8s.io", "tasks", "delete", "-f", t);
    }
    for (String c :
        Sh.run(List.of("ctr", "--address", a, "-n", "k8s.io", "containers", "ls", "-q"))
            .out()
            .lines()
            .filter(l -> !l.isBlank())
            .toList()) {
      Sh.quietly("ctr", "--address", a, "-n", "k8s.io", "containers", "delete", c);
    }
  }

  /** Everything of a node at {@code dir} that could outlive its processes. */
  private static void cleanUp(Path dir, PodNetwork net) {
    // Shims outlive containerd by design; theirs name this node's socket.
    Sh.run(List.of("pkill", "-KILL", "-f", "containerd-shim-runc-v2 .*" + dir));
    net.down();
    unmountUnder(dir);
    deleteTree(dir.resolve("containerd"));
    deleteTree(dir.resolve("kubelet"));
    removeEmptyCgroups(cgroupRoot(net.bridge()));
  }

  /** The cgroup (in every hierarchy) under which this node's kubelet puts kubepods. */
  private static String cgroupRoot(String bridge) {
    return "slipway-" + bridge;
  }

  /**
   * The kubelet refuses a cgroup root that does not exist: made in every v1 hierarchy, cpuset's
   * with its parent's CPUs and memory nodes (a new cpuset has none, and no task could join it). Its
   * CPU weight is what the kubelet gives kubepods at the top (1024 per core): with the default 1024
   * the node's pods together weighed as much as one busy process of the machine's, and under the
   * suite's load the controller pods failed their start-up probes (ci44).
   */
  private static void createCgroupRoot(String root) throws IOException {
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        if (Files.isSymbolicLink(h) || !Files.isRegularFile(h.resolve("cgroup.procs"))) {
          continue;
        }
        Path d = h.resolve(root);
        Files.createDirectories(d);
        for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
          if (Files.isRegularFile(d.resolve(f)) && Files.readString(d.resolve(f)).isBlank()) {
            Files.writeString(d.resolve(f), Files.readString(h.resolve(f)).strip());
          }
        }
        if (Files.isRegularFile(d.resolve("cpu.shares"))) {
          Files.writeString(
              d.resolve("cpu.shares"),
              String.valueOf(1024 * Runtime.getRuntime().availableProcessors()));
        }
      }
    }
  }

  /** The node's cgroups, its root included, once empty; rmdir leaves any still in use. */
  private static void removeEmptyCgroups(String root) {
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        Path kubepods = h.resolve(root);
        if (!Files.isSymbolicLink(h) && Files.isDirectory(kubepods)) {
          try (var tree = Files.walk(kubepods)) {
            tree.filter(Files::isDirectory)
                .sorted(Comparator.comparingInt((Path p) -> p.getNameCount()).reversed())
                .forEach(d -> Sh.run(List.of("rmdir", d.toString())));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("teardown: cgroups: " + e.getMessage());
    }
  }

  private static void unmountUnder(Path dir) {
    try {
      List<String> mounts =
          Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
              .map(l -> l.split(" ", -1)[4])
              .filter(m -> m.startsWith(dir.toString()))
              .sorted(Comparator.comparingInt(String::length).reversed())
              .toList();
      for (String m : mounts) {
        Sh.quietly("umount", "-l", m);
      }
    } catch (IOException e) {
      System.err.println("teardown: reading mounts: " + e.getMessage());
    }
  }

  private static void deleteTree(Path p) {
    if (Files.exists(p)) {
      Sh.quietly("rm", "-rf", "--one-file-system", p.toString());
    }
  }

  /** Nodes whose JVM died without closing them (SIGKILL, a crashed fork): take them down now. */
  static void reapOrphans() {
    if (!Files.isDirectory(OWNERS)) {
      return;
    }
    try (var owners = Files.list(OWNERS)) {
      for (Path f : owners.toList()) {
        List<String> lines = Files.readAllLines(f);
        if (lines.size() < 3
            || ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .map(ProcessHandle::isAlive)
                .orElse(false)) {
          continue;
        }
        Path dir = Path.of(lines.get(1).strip());
        String bridge = f.getFileName().toString();
        System.err.println(
            "reaping the node a dead test JVM left in " + dir + " (bridge " + bridge + ")");
        Sh.run(List.of("pkill", "-KILL", "-f", "kubelet --config=" + dir));
        removeContainers(dir.resolve("containerd/containerd.sock"));
        Sh.run(List.of("pkill", "-KILL", "-f", "containerd --config " + dir));
        String subnet = lines.get(2).strip();
        cleanUp(dir, new PodNetwork(bridge, subnet, subnet.replace(".0/24", ".1")));
        Files.deleteIfExists(f);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("reaping orphaned nodes: " + e.getMessage());
    }
  }
}
