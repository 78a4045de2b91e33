package dev.slipway.e2e.node;

import dev.slipway.e2e.cluster.RealNode;
import org.junit.jupiter.api.Assumptions;

/**
 * Real-node scenarios need root and the node's parts. CI (SLIPWAY_E2E_REQUIRE_NODE=true) fails
 * when they are missing; elsewhere the scenarios skip, saying what is missing.
 */
public final class NodeRequirement {
  private NodeRequirement() {}

  public static void check() {
    String why = RealNode.unavailableReason();
    if (why == null) {
      return;
    }
    if ("true".equals(System.getenv("SLIPWAY_E2E_REQUIRE_NODE"))) {
      throw new IllegalStateException("SLIPWAY_E2E_REQUIRE_NODE=true but no real node can run here: " + why);
    }
    Assumptions.abort("no real node here: " + why);
  }
}
