package dev.slipway.controller.core.fleet;

/** An Event the hub emits on the Release for a decision: its reason, text, and whether it warns. */
public record FleetEvent(String reason, boolean warning, String message) {
  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
