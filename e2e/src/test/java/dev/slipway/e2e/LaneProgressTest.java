package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Which classes the quiet-window listener counts as the real node's lane. */
@Order(8)
class LaneProgressTest {
  @Test
  void theRealNodesClassesAreTheLaneTheOthersWaitFor() {
    assertTrue(LaneProgress.onRealNode("dev.slipway.e2e.gateway.TraefikE2ETest"));
    assertTrue(LaneProgress.onRealNode("dev.slipway.e2e.install.InstallE2ETest"));
    assertTrue(LaneProgress.onRealNode("dev.slipway.e2e.node.RealNodeE2ETest"));
    assertFalse(LaneProgress.onRealNode("dev.slipway.e2e.AdmissionTest"), "another lane");
    assertFalse(LaneProgress.onRealNode(LaneProgressTest.class.getName()), "no lane");
    assertFalse(LaneProgress.onRealNode("dev.slipway.e2e.NoSuchClass"), "unknown");
  }
}
