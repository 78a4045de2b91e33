package dev.slipway.analysis.sequential;

/**
 * What one side (canary or baseline) did between two looks: how many requests it served ({@code
 * trials}) and how many of them were events (errors, or responses slower than the latency
 * threshold). Increments of counters, never rates: the sequential tests count.
 */
public record Counts(long trials, long events) {
  public static final Counts NONE = new Counts(0, 0);

  public Counts {
    if (trials < 0 || events < 0) {
      throw new IllegalArgumentException(
          "counts cannot be negative: " + trials + " requests, " + events + " events");
    }
    if (events > trials) {
      throw new IllegalArgumentException(
          "more events (" + events + ") than requests (" + trials + ")");
    }
  }

  public Counts plus(Counts o) {
    return new Counts(trials + o.trials, events + o.events);
  }

  /** The share of requests that were events, or NaN without requests. */
  public double rate() {
    return trials == 0 ? Double.NaN : (double) events / trials;
  }
}
