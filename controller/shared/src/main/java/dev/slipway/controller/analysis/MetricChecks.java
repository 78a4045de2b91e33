package dev.slipway.controller.analysis;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.analysis.provider.WebResponses;
import dev.slipway.analysis.query.CloudWatchQueries;
import dev.slipway.analysis.query.DatadogQueries;
import dev.slipway.analysis.query.Nrql;
import dev.slipway.analysis.spec.WebCheck;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.BurnRateSpec;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.SequentialDef;
import dev.slipway.api.v1alpha1.SloSpec;
import dev.slipway.api.v1alpha1.WebMetric;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What can be known wrong about a metric before it runs, by field: the checks admission makes with
 * CEL, again for objects admitted without it, and the ones CEL cannot make (an address the runtime
 * policy refuses, written as an IP literal in any spelling). Used when a run starts and by {@code
 * kubectl slipway lint}. Pure: no name is resolved.
 */
public final class MetricChecks {
  private static final Duration MIN_WINDOW = Duration.ofSeconds(1);

  /**
   * The always-refused part of the runtime policy, for addresses as written: only IP literals
   * resolve.
   */
  private static final AddressPolicy LITERAL =
      AddressPolicy.of(
          null,
          null,
          host -> {
            if (host.matches("[0-9.]+") || host.contains(":"))
              return List.of(InetAddress.getByName(host));
            return List.of();
          });

  private MetricChecks() {}

  /**
   * Every problem of the metrics of an analysis (a step's, or a template's with its default
   * provider).
   */
  public static List<String> problems(
      String where, List<MetricDef> metrics, PrometheusSpec defaultProvider) {
    List<String> out = new ArrayList<>();
    if (defaultProvider != null) addressProblem(where + ".prometheus", defaultProvider, out);
    for (int i = 0; i < metrics.size(); i++) {
      MetricDef m = metrics.get(i);
      String at = where + ".metrics[" + i + "]";
      if (m.prometheus() != null) addressProblem(at + ".prometheus", m.prometheus(), out);
      String slo = sloProblem(at + ".slo", m.slo());
      if (slo != null) out.add(slo);
      if (m.web() != null) webProblems(at + ".web", m.web(), out);
      hostedProblems(at, m, out);
    }
    return out;
  }

  /**
   * A hosted provider's address as written, and where its query's placeholders stand (any value
   * stands in for an arg here: which args exist is known only when a run starts).
   */
  private static void hostedProblems(String at, MetricDef m, List<String> out) {
    if (m.datadog() != null) literalProblem(at + ".datadog.address", m.datadog().address(), out);
    if (m.newRelic() != null) {
      literalProblem(at + ".newRelic.address", m.newRelic().address(), out);
    }
    if (m.cloudWatch() != null) {
      literalProblem(at + ".cloudWatch.address", m.cloudWatch().address(), out);
    }
    if (m.datadog() == null && m.newRelic() == null && m.cloudWatch() == null) return;
    boolean sequential = m.sequential() != null && m.sequential().counts() != null;
    String query =
        m.cloudWatch() != null ? HostedSources.cloudWatchQueries(m.cloudWatch()) : m.query();
    if (query != null) queryProblem(at, m, query, false, out);
    if (sequential && m.cloudWatch() == null) {
      SequentialDef.CountsDef c = m.sequential().counts();
      if (c.requests() != null) {
        queryProblem(at + ".sequential.counts.requests", m, c.requests(), true, out);
      }
      if (c.errors() != null) {
        queryProblem(at + ".sequential.counts.errors", m, c.errors(), true, out);
      }
    }
  }

  /** Where a hosted query's placeholders stand; a count query also may not set its window. */
  private static void queryProblem(
      String at, MetricDef m, String query, boolean count, List<String> out) {
    Map<String, String> anyArg =
        new AbstractMap<>() {
          @Override
          public String get(Object key) {
            return "x";
          }

          @Override
          public Set<Entry<String, String>> entrySet() {
            return Set.of();
          }
        };
    try {
      if (m.datadog() != null) {
        DatadogQueries.substitute(query, anyArg);
      } else if (m.newRelic() != null) {
        Nrql.substitute(query, anyArg);
        if (count) Nrql.checkCountQuery(query);
      } else {
        CloudWatchQueries.substitute(query, anyArg);
      }
    } catch (IllegalArgumentException e) {
      String where = count ? ": " : m.cloudWatch() != null ? ".cloudWatch.queries: " : ".query: ";
      out.add(at + where + e.getMessage());
    }
  }

  /**
   * A web check's URL as written (the always-refused addresses, no argument before '?') and path.
   */
  private static void webProblems(String at, WebMetric w, List<String> out) {
    if (w.url() != null) {
      String head = WebCheck.head(w.url());
      String why;
      if (head.contains("{{")) {
        why = "{{args.…}} may appear only in the query string";
      } else {
        try {
          why = LITERAL.refusal(URI.create(head));
        } catch (IllegalArgumentException e) {
          why = "not a URL";
        }
      }
      if (why != null) out.add(at + ".url: " + why);
    }
    if (w.jsonPath() != null) {
      String path = WebResponses.pathProblem(w.jsonPath());
      if (path != null) out.add(at + ".jsonPath: " + path);
    }
  }

  public static List<String> problems(String where, AnalysisStep step) {
    return step == null ? List.of() : problems(where, step.metricsOrEmpty(), step.prometheus());
  }

  /** Null, or what is wrong with an SLO's period or burn-rate windows, naming the field. */
  public static String sloProblem(String at, SloSpec slo) {
    if (slo == null) return null;
    try {
      if (slo.period() != null && Durations.parseWithDays(slo.period()).isZero()) {
        return at + ".period: must be longer than 0, e.g. 30d";
      }
    } catch (IllegalArgumentException e) {
      return at + ".period: " + e.getMessage();
    }
    List<BurnRateSpec> rates = slo.burnRates() == null ? List.of() : slo.burnRates();
    for (int i = 0; i < rates.size(); i++) {
      BurnRateSpec b = rates.get(i);
      String f = at + ".burnRates[" + i + "]";
      Duration lw;
      Duration sw;
      try {
        lw = Durations.parse(b.longWindow());
        sw = Durations.parse(b.shortWindow());
      } catch (IllegalArgumentException e) {
        return f + ": " + e.getMessage();
      }
      if (lw.compareTo(MIN_WINDOW) < 0) return f + ".longWindow: must be at least 1s, e.g. 1h";
      if (sw.compareTo(MIN_WINDOW) < 0) return f + ".shortWindow: must be at least 1s, e.g. 5m";
      if (sw.compareTo(lw) > 0) return f + ".shortWindow: must not exceed longWindow";
    }
    return null;
  }

  private static void addressProblem(String at, PrometheusSpec p, List<String> out) {
    literalProblem(at + ".address", p.address(), out);
  }

  private static void literalProblem(String at, String address, List<String> out) {
    if (address == null) return;
    String why;
    try {
      why = LITERAL.refusal(URI.create(address));
    } catch (IllegalArgumentException e) {
      why = "not a URL";
    }
    if (why != null) out.add(at + ": " + why);
  }
}
