package dev.slipway.controller.analysis;

/** The analysis a Rollout asks for cannot be built: a missing template, arg, Secret or provider. */
public final class AnalysisConfigException extends Exception {
  public AnalysisConfigException(String message) {
    super(message, null, false, false);
  }
}
