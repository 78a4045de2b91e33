package dev.slipway.analysis.promql;

/** Which revision a query reads. */
public enum Side {
  CANARY,
  STABLE
}
