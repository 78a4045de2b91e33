package dev.slipway.controller.evidence;

import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash injection for the crash-consistency tests: SLIPWAY_FAULT_HALT=after-decision:KEYPREFIX (or
 * after-action:KEYPREFIX) halts the JVM, as SIGKILL would, right after the pass that persisted an
 * entry with that key prefix reaches that point. Unset (the default), it does nothing.
 */
public final class FaultPoints {
  private static final Logger LOG = LoggerFactory.getLogger(FaultPoints.class);
  private final String point;
  private final String keyPrefix;

  public FaultPoints(String spec) {
    if (spec == null || spec.isBlank() || !spec.contains(":")) {
      point = null;
      keyPrefix = null;
    } else {
      point = spec.substring(0, spec.indexOf(':'));
      keyPrefix = spec.substring(spec.indexOf(':') + 1);
    }
  }

  public static FaultPoints fromEnvironment() {
    return new FaultPoints(System.getenv("SLIPWAY_FAULT_HALT"));
  }

  public void reached(String at, Collection<Targeted> entries) {
    if (point == null || !point.equals(at)) return;
    for (Targeted t : entries) {
      if (t.draft().key().startsWith(keyPrefix)) {
        LOG.error("fault injection: halting at {} after {}", at, t.draft().key());
        Runtime.getRuntime().halt(137);
      }
    }
  }
}
