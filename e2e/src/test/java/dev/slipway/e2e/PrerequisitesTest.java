package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The rule every e2e class's set-up goes through: a missing part skips outside CI, and fails in CI, named either way. */
@Order(9)
class PrerequisitesTest {
  @Test
  void aMissingPartFailsInCiAndSkipsElsewhereNamingIt() {
    String missing = Prerequisites.executable("Debian's chromium", "/nonexistent/chromium");
    IllegalStateException ci = assertThrows(IllegalStateException.class, () -> Prerequisites.need(missing, true));
    assertTrue(ci.getMessage().equals("SLIPWAY_E2E_REQUIRE_NODE=true, but no Debian's chromium at /nonexistent/chromium (bash e2e/setup.sh "
        + "installs it)"), ci.getMessage());
    TestAbortedException local = assertThrows(TestAbortedException.class, () -> Prerequisites.need(missing, false));
    assertTrue(local.getMessage().contains("no Debian's chromium"), local.getMessage());
    assertDoesNotThrow(() -> Prerequisites.need(null, true));
  }
}
