package dev.slipway.e2e.cluster;

import dev.slipway.e2e.tools.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real node's pod network, made by the harness itself: a Linux bridge with a /24 from
 * 10.244.0.0/16 (the host's own network is 192.0.2.0/24), and a CNI config that puts each pod in a
 * network namespace of its own on that bridge. Pods get no default route and no masquerading: they
 * reach each other and the bridge's host side, nothing beyond.
 */
record PodNetwork(String bridge, String subnet, String gateway) {

  static synchronized PodNetwork create(Path dir) {
    String routes = Sh.ok("ip", "-4", "route", "show");
    int start = ThreadLocalRandom.current().nextInt(1, 250);
    for (int i = 0; i < 250; i++) {
      int n = 1 + (start + i) % 250;
      String subnet = "10.244." + n + ".0/24";
      String bridge = "slw" + n;
      if (routes.contains(subnet) || Sh.run(List.of("ip", "link", "show", bridge)).exit() == 0) {
        continue;
      }
      PodNetwork net = new PodNetwork(bridge, subnet, "10.244." + n + ".1");
      net.up(dir);
      return net;
    }
    throw new IllegalStateException("no free /24 in 10.244.0.0/16 for a pod bridge");
  }

  private void up(Path dir) {
    Sh.ok("ip", "link", "add", "name", bridge, "type", "bridge");
    Sh.ok("ip", "addr", "add", gateway + "/24", "dev", bridge);
    Sh.ok("ip", "link", "set", bridge, "up");
    try {
      Path netd = Files.createDirectories(dir.resolve("net.d"));
      Files.writeString(
          netd.resolve("10-slipway.conflist"),
          """
          {
            "cniVersion": "0.4.0",
            "name": "slipway-pods",
            "plugins": [
              {
                "type": "bridge",
                "bridge": "%s",
                "isGateway": false,
                "ipMasq": false,
                "hairpinMode": true,
                "ipam": {
                  "type": "host-local",
                  "ranges": [[{"subnet": "%s", "rangeStart": "%s", "gateway": "%s"}]],
                  "dataDir": "%s"
                }
              }
            ]
          }
          """
              .formatted(
                  bridge,
                  subnet,
                  subnet.replace(".0/24", ".10"),
                  gateway,
                  dir.resolve("cni-ipam")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The prefix every pod address on this bridge starts with, e.g. "10.244.7.". */
  String prefix() {
    return subnet.substring(0, subnet.length() - "0/24".length());
  }

  /**
   * Removes the pod network namespaces left on this subnet (a sandbox that never got its CNI DEL),
   * then the bridge. Safe to run twice.
   */
  void down() {
    Path netns = Path.of("/var/run/netns");
    if (Files.isDirectory(netns)) {
      try (var names = Files.list(netns)) {
        for (Path ns : names.toList()) {
          String addrs =
              Sh.run(
                      List.of(
                          "ip",
                          "netns",
                          "exec",
                          ns.getFileName().toString(),
                          "ip",
                          "-4",
                          "-o",
                          "addr"))
                  .out();
          if (addrs.contains(" " + prefix())) {
            Sh.quietly("ip", "netns", "delete", ns.getFileName().toString());
          }
        }
      } catch (IOException e) {
        System.err.println("teardown: listing " + netns + ": " + e.getMessage());
      }
    }
    if (Sh.run(List.of("ip", "link", "show", bridge)).exit() == 0) {
      Sh.quietly("ip", "link", "delete", bridge);
    }
  }
}
