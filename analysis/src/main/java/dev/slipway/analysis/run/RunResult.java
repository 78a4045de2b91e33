package dev.slipway.analysis.run;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.spec.MetricSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where an analysis run stands.
 *
 * @param nextMeasurementAt when the next measurement is due; null once the run is over
 * @param startedAt when the run started; with the step, it names the run in evidence
 * @param measurements every measurement so far, in order, for the evidence record
 * @param sequential each sequential metric, by name, whose settings the verdict's evidence records
 */
public record RunResult(
    AnalysisResult result,
    Instant nextMeasurementAt,
    List<MetricSummary> metrics,
    Instant startedAt,
    List<Measurement> measurements,
    Map<String, MetricSpec> sequential) {
  public RunResult {
    metrics = List.copyOf(metrics);
    measurements = measurements == null ? List.of() : List.copyOf(measurements);
    sequential = sequential == null ? Map.of() : Map.copyOf(sequential);
  }

  public RunResult(
      AnalysisResult result,
      Instant nextMeasurementAt,
      List<MetricSummary> metrics,
      Instant startedAt,
      List<Measurement> measurements) {
    this(result, nextMeasurementAt, metrics, startedAt, measurements, Map.of());
  }

  /** A result with no run behind it (the analysis could not be built). */
  public static RunResult fixed(AnalysisResult result, Instant at) {
    return new RunResult(result, null, List.of(), at, List.of());
  }
}
