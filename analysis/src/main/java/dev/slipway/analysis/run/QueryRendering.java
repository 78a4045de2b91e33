package dev.slipway.analysis.run;

import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.promql.BuiltinQueries;
import dev.slipway.analysis.promql.Side;
import dev.slipway.analysis.query.CloudWatchQueries;
import dev.slipway.analysis.query.DatadogQueries;
import dev.slipway.analysis.query.Nrql;
import dev.slipway.analysis.spec.CloudWatchTarget;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.NewRelicTarget;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;

/** A metric's query for one side, in its provider's language, with its args filled in safely. */
final class QueryRendering {
  private QueryRendering() {}

  /**
   * The query of {@code m} for {@code side}.
   *
   * @throws IllegalArgumentException when an arg is unknown or stands where no value is safe
   */
  static String render(MetricSpec m, AnalysisArgs args, Side side) {
    if (m.provider() instanceof PrometheusTarget t) {
      return BuiltinQueries.render(m.query(), t, args, side, m.window());
    }
    // MetricSpec admits hosted providers with a custom query only.
    String template = ((Query.Custom) m.query()).template();
    if (m.provider() instanceof DatadogTarget) {
      return DatadogQueries.substitute(template, args.forSide(side));
    }
    if (m.provider() instanceof NewRelicTarget) {
      return Nrql.substitute(template, args.forSide(side));
    }
    if (m.provider() instanceof CloudWatchTarget) {
      return CloudWatchQueries.substitute(template, args.forSide(side));
    }
    throw new IllegalArgumentException("a web check has no query to render");
  }

  /**
   * A sequential metric's counts query ({@code template}) for {@code side}, in the language of its
   * provider (MetricSpec admits Datadog, New Relic and CloudWatch for counts).
   *
   * @throws IllegalArgumentException when an arg is unknown or stands where no value is safe
   */
  static String renderCount(MetricSpec m, String template, AnalysisArgs args, Side side) {
    if (m.provider() instanceof DatadogTarget) {
      return DatadogQueries.substitute(template, args.forSide(side));
    }
    if (m.provider() instanceof NewRelicTarget) {
      // NewRelicProvider.count refuses a count query that sets its own window, before sending.
      return Nrql.substitute(template, args.forSide(side));
    }
    if (m.provider() instanceof CloudWatchTarget) {
      return CloudWatchQueries.substitute(template, args.forSide(side));
    }
    throw new IllegalArgumentException(m.provider().kind() + " gives no counts queries");
  }
}
