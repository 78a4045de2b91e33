package dev.slipway.e2e;

import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.RealNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.TestAbortedException;

/**
 * What an e2e class needs before it can run (a real node, KWOK pods, Argo CD, Chromium, podman),
 * checked in one place. Outside CI a missing part skips the class, saying what is missing; in CI
 * ({@code SLIPWAY_E2E_REQUIRE_NODE=true}, set by .ci/run) it fails instead, so a green run never
 * hides a skipped scenario.
 */
public final class Prerequisites {
  public static final String REQUIRE_ENV = "SLIPWAY_E2E_REQUIRE_NODE";

  private Prerequisites() {}

  /** Whether missing parts fail (CI) rather than skip. */
  public static boolean required() {
    return "true".equals(System.getenv(REQUIRE_ENV));
  }

  /**
   * Passes when {@code missing} is null; otherwise fails in CI and skips elsewhere, with {@code
   * missing} as the reason in both.
   */
  public static void need(String missing) {
    need(missing, required());
  }

  /** {@link #need(String)} with CI mode given, for tests of the rule itself. */
  static void need(String missing, boolean required) {
    if (missing == null) {
      return;
    }
    if (required) {
      throw new IllegalStateException(REQUIRE_ENV + "=true, but " + missing);
    }
    throw new TestAbortedException(missing);
  }

  /** Root, containerd, runc, the CNI plugins and the built kubelet. */
  public static void realNode() {
    String why = RealNode.unavailableReason();
    need(why == null ? null : "no real node can run here: " + why);
  }

  /** KWOK pods: made-up images become Ready, and the sample app runs as local processes instead. */
  public static void kwokPods(Cluster cp, String because) {
    kwokPods(cp, because, required());
  }

  static void kwokPods(Cluster cp, String because, boolean required) {
    need(
        cp.fakePods()
            ? null
            : "this scenario needs KWOK pods ("
                + because
                + "), and the cluster is "
                + cp.describe(),
        required);
  }

  /** An executable at one of {@code paths}, or the reason it is missing. */
  public static String executable(String what, String... paths) {
    for (String p : paths) {
      if (Files.isExecutable(Path.of(p))) {
        return null;
      }
    }
    return "no " + what + " at " + String.join(" or ", paths) + " (bash e2e/setup.sh installs it)";
  }
}
