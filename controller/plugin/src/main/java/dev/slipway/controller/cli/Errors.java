package dev.slipway.controller.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * One plain line for what the API server or the network said, as kubectl prints it; never a raw
 * Status dump.
 */
final class Errors {
  private Errors() {}

  static String plain(KubernetesClientException k) {
    String message =
        k.getStatus() != null && k.getStatus().getMessage() != null
            ? k.getStatus().getMessage()
            : null;
    return switch (k.getCode()) {
      case 404 -> message != null ? message : "not found";
      case 403 ->
          "forbidden: " + (message != null ? message : "the API server refused the request");
      case 409 ->
          "conflict: " + (message != null ? message : "the object changed meanwhile; try again");
      case 401 -> "unauthorized: the credentials in the kubeconfig were refused";
      default -> k.getCode() > 0 && message != null ? message : unreachable(k);
    };
  }

  /**
   * No HTTP answer at all: name the cause a person can act on (refused, timed out, unknown host,
   * TLS).
   */
  private static String unreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String why =
          switch (c.getClass().getName()) {
            case "java.net.ConnectException" -> "connection refused";
            case "java.net.UnknownHostException" -> "unknown host";
            case "java.net.SocketTimeoutException",
                "java.net.http.HttpConnectTimeoutException",
                "java.net.http.HttpTimeoutException",
                "java.util.concurrent.TimeoutException" ->
                "timed out";
            case "javax.net.ssl.SSLHandshakeException", "javax.net.ssl.SSLException" ->
                "TLS failed";
            case "java.nio.channels.UnresolvedAddressException" -> "unknown host";
            default -> null;
          };
      if (why != null) {
        return "cannot reach the cluster: "
            + why
            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
      }
    }
    return "cannot reach the cluster: "
        + (t.getMessage() == null
            ? t.getClass().getSimpleName()
            : t.getMessage().lines().findFirst().orElse(""));
  }
}
