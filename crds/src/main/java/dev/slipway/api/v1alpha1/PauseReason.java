package dev.slipway.api.v1alpha1;

public enum PauseReason {
  PauseStep,
  Manual,
  SpecPaused,
  AnalysisInconclusive
}
