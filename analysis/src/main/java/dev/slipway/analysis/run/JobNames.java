package dev.slipway.analysis.run;

import dev.slipway.analysis.promql.AnalysisArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The name of a Job check's Job: fixed by the Rollout, the canary revision, the metric, the run's
 * start and the measurement's number, so every pass (and a controller restarted mid-run, which
 * resumes the run with its recorded start) names the same Job, and no two runs share one. A DNS
 * label of at most 63 characters, as the Job controller puts the name in a pod label.
 */
public final class JobNames {
  static final int MAX = 63;

  private JobNames() {}

  public static String of(AnalysisArgs args, String metric, Instant runStartedAt, int n) {
    String key =
        String.join(
            "\n",
            args.namespace(),
            args.rollout(),
            args.canaryHash(),
            metric,
            Long.toString(runStartedAt.toEpochMilli()),
            Integer.toString(n));
    String hash = HexFormat.of().formatHex(sha256(key), 0, 5);
    String suffix = "-" + n + "-" + hash;
    String readable = label(args.rollout() + "-" + metric);
    int room = MAX - suffix.length();
    if (readable.length() > room) readable = trim(readable.substring(0, room));
    return readable + suffix;
  }

  /** Lower case, [a-z0-9-], starting with a letter or digit. */
  private static String label(String s) {
    String cleaned = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    cleaned = cleaned.replaceAll("^-+", "");
    return cleaned.isEmpty() ? "job" : trim(cleaned);
  }

  private static String trim(String s) {
    return s.replaceAll("-+$", "");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
