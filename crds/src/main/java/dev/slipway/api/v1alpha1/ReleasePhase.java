package dev.slipway.api.v1alpha1;

/** A fleet release's phase. Halted, Aborted and Succeeded are final. */
public enum ReleasePhase {
  Progressing,
  Paused,
  Halted,
  Aborted,
  Succeeded;

  public boolean isFinal() {
    return this == Halted || this == Aborted || this == Succeeded;
  }
}
