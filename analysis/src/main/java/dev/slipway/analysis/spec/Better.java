package dev.slipway.analysis.spec;

/** Which way a metric improves; says what "worse than stable" means. */
public enum Better {
  HIGHER,
  LOWER
}
