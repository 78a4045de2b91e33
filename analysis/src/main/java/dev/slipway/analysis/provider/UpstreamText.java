package dev.slipway.analysis.provider;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text that came from a provider (an error body, a connection error). None of it goes into status,
 * Events or signed evidence, which tenants and auditors read: an upstream's error text can hold
 * anything (a password echoed back, a forged line). Those get a fixed category ({@link #category},
 * {@link #connection}); the text itself goes to the controller's log at debug level, cleaned and
 * bounded ({@link #logged}).
 */
public final class UpstreamText {
  /** Bound of a logged reply: enough for a PromQL parse error, not a page of HTML. */
  public static final int MAX = 2000;

  /** Prometheus's documented errorType values; anything else is "other". */
  private static final Set<String> PROMETHEUS_ERROR_TYPES =
      Set.of(
          "bad_data",
          "execution",
          "canceled",
          "timeout",
          "internal",
          "unavailable",
          "not_found",
          "not_acceptable");

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamText.class);

  private UpstreamText() {}

  /**
   * Control and formatting characters become spaces, whitespace runs collapse, cut to {@link #MAX}.
   */
  public static String clean(String s) {
    if (s == null) {
      return "";
    }
    String one =
        s.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").strip();
    return one.length() > MAX ? one.substring(0, MAX - 1) + "…" : one;
  }

  /** A Prometheus errorType as a fixed word: one of the documented values, else "other". */
  public static String category(String errorType) {
    return errorType != null && PROMETHEUS_ERROR_TYPES.contains(errorType) ? errorType : "other";
  }

  /** A connection failure as a fixed phrase, from the exception's type, never its message. */
  public static String connection(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException) return "connection refused";
      if (c instanceof UnknownHostException) return "unknown host";
      if (c instanceof NoRouteToHostException) return "no route to host";
      if (c instanceof SSLException) return "TLS failure";
      if (c instanceof SocketTimeoutException) return "connect timed out";
      if (c.getClass().getName().endsWith("ClosedChannelException")) return "connection closed";
    }
    return "connection failed";
  }

  /** Logs what a provider said at debug level, cleaned and bounded; returns nothing to pass on. */
  public static void logged(String what, String address, String text) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} from {}: {}", what, address, clean(text));
    }
  }
}
