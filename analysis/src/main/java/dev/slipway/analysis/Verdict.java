package dev.slipway.analysis;

/**
 * Outcome of an analysis run. Only Successful lets a canary advance: no data is Inconclusive, and
 * an unreachable provider is Error. Running means no verdict yet.
 */
public enum Verdict {
  Running,
  Successful,
  Failed,
  Inconclusive,
  Error;

  public boolean isTerminal() {
    return this != Running;
  }
}
