package dev.slipway.analysis.provider;

import java.util.List;
import java.util.Map;

/**
 * What one query produced. Only Value and Samples carry data; the judge never reads success from
 * the others.
 */
public sealed interface QueryOutcome {

  record Value(double value) implements QueryOutcome {}

  /** A range query's samples, oldest first, NaN samples dropped. */
  record Samples(List<Double> values) implements QueryOutcome {
    public Samples {
      values = List.copyOf(values);
    }
  }

  /**
   * Every series an instant query selected, with its labels: counters are read series by series, so
   * that a restarted pod's reset is seen. Empty when nothing matched (no traffic yet).
   */
  record Series(List<Sample> samples) implements QueryOutcome {
    public Series {
      samples = List.copyOf(samples);
    }
  }

  /** One series' labels and value. */
  record Sample(Map<String, String> labels, double value) {
    public Sample {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * The query ran but found nothing to measure (empty result or NaN): Inconclusive, never success.
   */
  record NoData(String why) implements QueryOutcome {}

  /**
   * The provider could not answer (unreachable, timed out, refused the query, malformed reply):
   * Error.
   */
  record Failure(String why) implements QueryOutcome {}
}
