package dev.slipway.controller.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests the local dashboard answers. Binding to loopback keeps other machines out, but not
 * a web page in the user's own browser: by DNS rebinding, {@code evil.example.com} can come to
 * resolve to 127.0.0.1, and its scripts could then read every Rollout the user's kubeconfig can.
 * Such a request still names the foreign host in {@code Host} (and in {@code Origin} when it
 * carries one), so only loopback names with the dashboard's own port are answered, as {@code
 * kubectl proxy --accept-hosts} does.
 */
final class LoopbackOnly {
  private static final Set<String> NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

  private LoopbackOnly() {}

  /**
   * Why this request is refused, or empty when it is addressed to this dashboard by a loopback
   * name.
   */
  static Optional<String> refusal(String host, String origin, int port) {
    if (host == null || !isLocal(host, port)) {
      return Optional.of(
          "this dashboard answers only requests to 127.0.0.1, localhost or [::1] on port "
              + port
              + ", not Host "
              + (host == null ? "(none)" : quoted(host)));
    }
    if (origin != null
        && !(origin.regionMatches(true, 0, "http://", 0, 7)
            && isLocal(origin.substring(7), port))) {
      return Optional.of("this dashboard answers only its own pages, not Origin " + quoted(origin));
    }
    return Optional.empty();
  }

  /**
   * {@code name:port} with a loopback name; a bare name only on port 80, where browsers omit it.
   */
  private static boolean isLocal(String authority, int port) {
    String a = authority.toLowerCase(Locale.ROOT);
    int colon = a.lastIndexOf(':');
    if (colon > a.lastIndexOf(']')) {
      return NAMES.contains(a.substring(0, colon))
          && a.substring(colon + 1).equals(String.valueOf(port));
    }
    return port == 80 && NAMES.contains(a);
  }

  /** The header as sent, cut short: it is echoed to whoever sent it, never anywhere else. */
  private static String quoted(String value) {
    String v = value.length() > 100 ? value.substring(0, 100) + "…" : value;
    return "\"" + v.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
