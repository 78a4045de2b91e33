package dev.slipway.controller.architecture.planted;

import dev.slipway.controller.reconcile.RolloutProcessor;

/**
 * LayersTest's plant: a class standing in for the traffic layer that uses reconcile, which sits
 * above it.
 */
final class UpwardImport {
  private UpwardImport() {}

  static Class<?> above() {
    return RolloutProcessor.class;
  }
}
