package dev.slipway.analysis.spec;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which gRPC codes fail a call, for the GrpcServer profile. The server's own trouble always does:
 * Unavailable, Internal, Unknown and DeadlineExceeded (a canary that times out or crashes); codes a
 * caller causes (NotFound, InvalidArgument, PermissionDenied...) are answers, not failures, unless
 * the template names them.
 */
public final class GrpcCodes {
  public static final Set<String> ALWAYS_FAILING =
      Set.of("Unavailable", "Internal", "Unknown", "DeadlineExceeded");

  private GrpcCodes() {}

  /** The failing codes for this target, sorted (so a query reads the same every time). */
  public static Set<String> failing(PrometheusTarget t) {
    Set<String> out = new TreeSet<>(ALWAYS_FAILING);
    out.addAll(t.grpcFailureCodes());
    return out;
  }

  /**
   * The failing codes as a PromQL regular expression; safe to inline, since code names are letters
   * only.
   */
  public static String regex(PrometheusTarget t) {
    return String.join("|", failing(t));
  }
}
