package dev.slipway.analysis.provider;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which metric provider addresses the controller may send queries (and credentials) to. A Rollout's
 * author chooses the address; the controller's operator bounds it:
 *
 * <ul>
 *   <li>always refused: link-local addresses (169.254.0.0/16, fe80::/10), the cloud metadata
 *       endpoints, and the Kubernetes API server (its Service names and its address), whatever the
 *       name resolves to;
 *   <li>with an allow-list (SLIPWAY_PROVIDER_ALLOW: host names, {@code *.suffix} names, CIDRs or
 *       URL prefixes, comma-separated), only what matches an entry.
 * </ul>
 *
 * Names are resolved when a run starts and every address they resolve to is checked.
 */
public final class AddressPolicy {
  /** Names of metadata services and the API server, refused by default. */
  private static final Set<String> DENIED_NAMES =
      Set.of(
          "metadata.google.internal",
          "metadata",
          "metadata.internal",
          "instance-data",
          "instance-data.ec2.internal",
          "kubernetes",
          "kubernetes.default",
          "kubernetes.default.svc");

  private static final List<String> DENIED_CIDRS =
      List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32");

  /** How names become addresses; tests substitute their own. */
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  private final List<String> allow;
  private final List<InetAddress> apiServer;
  private final int apiServerPort;
  private final Resolver resolver;

  private AddressPolicy(
      List<String> allow, List<InetAddress> apiServer, int apiServerPort, Resolver resolver) {
    this.allow = allow;
    this.apiServer = apiServer;
    this.apiServerPort = apiServerPort;
    this.resolver = resolver;
  }

  public static AddressPolicy of(String allowSpec, String apiServerHost, Resolver resolver) {
    return of(allowSpec, apiServerHost, 443, resolver);
  }

  /**
   * The policy for a controller: the allow-list and the API server it must never query.
   *
   * @param allowSpec the allow-list, comma-separated; blank for "anything not refused by default"
   * @param apiServerHost the API server's address as pods see it (KUBERNETES_SERVICE_HOST), or null
   * @param apiServerPort its port (KUBERNETES_SERVICE_PORT): another port of that host is another
   *     server
   */
  public static AddressPolicy of(
      String allowSpec, String apiServerHost, int apiServerPort, Resolver resolver) {
    List<String> allow = new ArrayList<>();
    if (allowSpec != null) {
      for (String e : allowSpec.split(",", -1)) {
        if (!e.isBlank()) allow.add(e.strip().toLowerCase(Locale.ROOT));
      }
    }
    List<InetAddress> api = new ArrayList<>();
    if (apiServerHost != null && !apiServerHost.isBlank()) {
      try {
        api.addAll(resolver.resolve(apiServerHost.strip()));
      } catch (UnknownHostException e) {
        // an API server address we cannot resolve cannot be dialled by a query either
      }
    }
    return new AddressPolicy(List.copyOf(allow), List.copyOf(api), apiServerPort, resolver);
  }

  /**
   * SLIPWAY_PROVIDER_ALLOW, and the API server as pods see it (KUBERNETES_SERVICE_HOST and _PORT).
   */
  public static AddressPolicy fromEnvironment() {
    return fromEnvironment(System.getenv("SLIPWAY_PROVIDER_ALLOW"));
  }

  public static AddressPolicy fromEnvironment(String allowSpec) {
    int port;
    try {
      port =
          Integer.parseInt(System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443").strip());
    } catch (NumberFormatException e) {
      port = 443;
    }
    return of(
        allowSpec,
        System.getenv("KUBERNETES_SERVICE_HOST"),
        port,
        host -> List.of(InetAddress.getAllByName(host)));
  }

  /** Null when queries may go to {@code address}, else why not. */
  public String refusal(URI address) {
    String host = address.getHost();
    if (host == null) {
      return "the address " + address + " names no host";
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (DENIED_NAMES.contains(host) || host.startsWith("kubernetes.default.svc.")) {
      return "host "
          + host
          + " is the Kubernetes API server or a metadata service, which analysis may never query";
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return "host " + host + " does not resolve";
    }
    for (InetAddress a : addresses) {
      for (String cidr : DENIED_CIDRS) {
        if (inCidr(a, cidr)) {
          return "host "
              + host
              + " resolves to "
              + a.getHostAddress()
              + " (link-local or a metadata address), which analysis may never query";
        }
      }
      int port =
          address.getPort() > 0
              ? address.getPort()
              : "https".equalsIgnoreCase(address.getScheme()) ? 443 : 80;
      if (apiServer.contains(a) && port == apiServerPort) {
        return "host "
            + host
            + " resolves to "
            + a.getHostAddress()
            + ", the Kubernetes API server, which analysis may never query";
      }
    }
    if (allow.isEmpty()) {
      return null;
    }
    String url = address.toString().toLowerCase(Locale.ROOT);
    for (String entry : allow) {
      if (entry.contains("://")
          ? url.startsWith(entry)
          : entry.contains("/")
              ? !addresses.isEmpty() && addresses.stream().allMatch(a -> inCidr(a, entry))
              : entry.startsWith("*.") ? host.endsWith(entry.substring(1)) : host.equals(entry)) {
        return null;
      }
    }
    return "address "
        + address.getScheme()
        + "://"
        + host
        + (address.getPort() > 0 ? ":" + address.getPort() : "")
        + " is not in the controller's provider allow-list (SLIPWAY_PROVIDER_ALLOW)";
  }

  static boolean inCidr(InetAddress a, String cidr) {
    String[] parts = cidr.split("/", -1);
    try {
      InetAddress net = InetAddress.getByName(parts[0]);
      if (net.getAddress().length != a.getAddress().length) {
        return false;
      }
      int bits = Integer.parseInt(parts[1]);
      int total = a.getAddress().length * 8;
      BigInteger mask =
          BigInteger.ONE
              .shiftLeft(total)
              .subtract(BigInteger.ONE)
              .shiftRight(bits)
              .not()
              .and(BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE));
      return new BigInteger(1, a.getAddress())
          .and(mask)
          .equals(new BigInteger(1, net.getAddress()).and(mask));
    } catch (UnknownHostException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return false;
    }
  }
}
