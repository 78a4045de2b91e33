package dev.slipway.analysis.run;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.judge.Measurement;
import java.time.Instant;
import java.util.List;

/**
 * Where an analysis run stands.
 *
 * @param nextMeasurementAt when the next measurement is due; null once the run is over
 * @param startedAt when the run started; with the step, it names the run in evidence
 * @param measurements every measurement so far, in order, for the evidence record
 */
public record RunResult(AnalysisResult result, Instant nextMeasurementAt, List<MetricSummary> metrics, Instant startedAt,
    List<Measurement> measurements) {
  public RunResult {
    metrics = List.copyOf(metrics);
    measurements = measurements == null ? List.of() : List.copyOf(measurements);
  }

  /** A result with no run behind it (the analysis could not be built). */
  public static RunResult fixed(AnalysisResult result, Instant at) {
    return new RunResult(result, null, List.of(), at, List.of());
  }
}
