package dev.slipway.analysis.spec;

/** An inclusive range the canary's value must fall in; an absent bound is open. */
public record Threshold(Double min, Double max) {
  public Threshold {
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("threshold min " + min + " is above max " + max);
    }
  }

  public static Threshold atLeast(double min) {
    return new Threshold(min, null);
  }

  public static Threshold atMost(double max) {
    return new Threshold(null, max);
  }

  public boolean admits(double v) {
    return (min == null || v >= min) && (max == null || v <= max);
  }

  public String describe() {
    if (min != null && max != null) return min + " <= value <= " + max;
    if (min != null) return "value >= " + min;
    if (max != null) return "value <= " + max;
    return "any value";
  }
}
