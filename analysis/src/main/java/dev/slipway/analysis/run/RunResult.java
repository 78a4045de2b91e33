package dev.slipway.analysis.run;

import dev.slipway.analysis.AnalysisResult;
import java.time.Instant;
import java.util.List;

/**
 * Where an analysis run stands.
 *
 * @param nextMeasurementAt when the next measurement is due; null once the run is over
 */
public record RunResult(AnalysisResult result, Instant nextMeasurementAt, List<MetricSummary> metrics) {
  public RunResult {
    metrics = List.copyOf(metrics);
  }
}
