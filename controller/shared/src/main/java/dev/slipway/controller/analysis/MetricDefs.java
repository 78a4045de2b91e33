package dev.slipway.controller.analysis;

import dev.slipway.analysis.provider.WebResponses;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.Credentials;
import dev.slipway.analysis.spec.JobCheck;
import dev.slipway.analysis.spec.MannWhitney;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.QueryProfile;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import dev.slipway.analysis.spec.Threshold;
import dev.slipway.analysis.spec.WebCheck;
import dev.slipway.api.v1alpha1.BaselineSpec;
import dev.slipway.api.v1alpha1.CloudWatchSpec;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.HeaderSpec;
import dev.slipway.api.v1alpha1.JobMetric;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.PrometheusAuth;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.SecretKeyRef;
import dev.slipway.api.v1alpha1.SequentialDef;
import dev.slipway.api.v1alpha1.WebMetric;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns one metric as written in the API into the analysis module's resolved form, with defaults
 * applied.
 */
final class MetricDefs {
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  /**
   * A sequential metric looks more often than a threshold is measured: each look is cheap, and
   * looking is free.
   */
  static final Duration DEFAULT_LOOK_INTERVAL = Duration.ofSeconds(10);

  static final Duration DEFAULT_EXPOSURE = Duration.ofMinutes(5);

  private MetricDefs() {}

  static MetricSpec toSpec(
      String where,
      MetricDef m,
      PrometheusSpec defaultProvider,
      String namespace,
      AnalysisSources sources)
      throws AnalysisConfigException {
    String at = where + " metric " + m.name();
    if (m.web() != null) return web(at, m, namespace, sources);
    if (m.job() != null) return job(at, m, namespace, sources);
    try {
      MetricSource source = source(at, m, defaultProvider, namespace, sources);
      Query query =
          m.cloudWatch() != null && m.sequential() == null
              ? new Query.Custom(HostedSources.cloudWatchQueries(m.cloudWatch()))
              : query(m);
      Duration defaultInterval =
          query instanceof Query.Sequential ? DEFAULT_LOOK_INTERVAL : Schedule.DEFAULT_INTERVAL;
      Schedule schedule = schedule(m, defaultInterval);
      Threshold threshold =
          m.threshold() != null
              ? new Threshold(m.threshold().min(), m.threshold().max())
              // A burn rate over its factor: above 1 spends the budget faster than the SLO allows.
              : query instanceof Query.SloBurnRate ? Threshold.atMost(1.0) : null;
      return new MetricSpec(
          m.name(),
          query,
          m.window() == null ? DEFAULT_WINDOW : Durations.parse(m.window()),
          threshold,
          baseline(at, m.baseline(), query),
          schedule,
          Boolean.TRUE.equals(m.dryRun()),
          source);
    } catch (IllegalArgumentException e) {
      throw new AnalysisConfigException(at + ": " + e.getMessage());
    }
  }

  /**
   * A web check: its address judged by the policy before any Secret is read (a refused address
   * never learns one), then its headers read from the opted-in Secrets.
   */
  private static MetricSpec web(String at, MetricDef m, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    WebMetric w = m.web();
    if (m.threshold() == null || m.baseline() != null) {
      throw new AnalysisConfigException(
          at + ": a web check is judged by its threshold alone: set threshold, drop baseline");
    }
    String problem = WebResponses.pathProblem(w.jsonPath());
    if (problem != null) throw new AnalysisConfigException(at + ": " + problem);
    try {
      String refused = sources.providerRefusal(URI.create(WebCheck.head(w.url())));
      if (refused != null) {
        throw new AnalysisConfigException(at + ": web check refused by policy: " + refused);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (WebMetric.WebHeader h :
          w.headers() == null ? List.<WebMetric.WebHeader>of() : w.headers()) {
        headers.put(
            h.name(),
            secretValue(at, namespace, h.valueFrom().name(), h.valueFrom().key(), sources));
      }
      WebCheck check =
          new WebCheck(
              w.url(),
              w.method() == null ? "GET" : w.method().name(),
              w.body(),
              headers,
              w.jsonPath(),
              w.timeout() == null ? null : Durations.parse(w.timeout()));
      return new MetricSpec(
          m.name(),
          new Query.Web(check),
          DEFAULT_WINDOW,
          new Threshold(m.threshold().min(), m.threshold().max()),
          null,
          schedule(m, Schedule.DEFAULT_INTERVAL),
          Boolean.TRUE.equals(m.dryRun()),
          MetricSource.Web.INSTANCE);
    } catch (IllegalArgumentException e) {
      throw new AnalysisConfigException(at + ": " + e.getMessage());
    }
  }

  /**
   * A Job check: refused where a Job could run as the controller; its spec kept as JSON for the
   * runner, which fills in the arguments and the deadline when it creates each Job.
   */
  private static MetricSpec job(String at, MetricDef m, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    JobMetric j = m.job();
    if (m.threshold() != null || m.baseline() != null) {
      throw new AnalysisConfigException(
          at + ": a Job check is judged by the Job's outcome: drop threshold and baseline");
    }
    String refused = sources.jobRefusal(namespace);
    if (refused != null) throw new AnalysisConfigException(at + ": " + refused);
    if (j.spec() == null || j.spec().getTemplate() == null) {
      throw new AnalysisConfigException(at + ": job.spec.template is required (the Job's pod)");
    }
    try {
      JobCheck check =
          new JobCheck(
              Serialization.asJson(j.spec()),
              j.deadline() == null ? null : Durations.parse(j.deadline()),
              j.ttlAfterFinished() == null ? null : Durations.parse(j.ttlAfterFinished()),
              j.logLines() == null ? JobCheck.DEFAULT_LOG_LINES : j.logLines());
      return new MetricSpec(
          m.name(),
          new Query.Job(check),
          DEFAULT_WINDOW,
          null,
          null,
          schedule(m, Schedule.DEFAULT_INTERVAL),
          Boolean.TRUE.equals(m.dryRun()),
          MetricSource.Job.INSTANCE);
    } catch (IllegalArgumentException e) {
      throw new AnalysisConfigException(at + ": " + e.getMessage());
    }
  }

  /**
   * The metric's own provider, else the template's or the step's Prometheus. Each address is judged
   * by the policy before any of its Secrets is read.
   */
  private static MetricSource source(
      String at,
      MetricDef m,
      PrometheusSpec defaultProvider,
      String namespace,
      AnalysisSources sources)
      throws AnalysisConfigException {
    boolean counts = m.sequential() != null && m.sequential().counts() != null;
    if ((m.datadog() != null || m.newRelic() != null) && m.query() == null && !counts) {
      throw new AnalysisConfigException(
          at
              + ": datadog and newRelic take queries in their own language: set query, or"
              + " sequential with counts");
    }
    if (counts && m.datadog() == null && m.newRelic() == null && m.cloudWatch() == null) {
      throw new AnalysisConfigException(
          at
              + ": sequential.counts are asked of datadog, newRelic or cloudWatch (set one on the"
              + " metric)");
    }
    if (counts
        && (m.cloudWatch() != null)
            == (m.sequential().counts().requests() != null
                || m.sequential().counts().errors() != null)) {
      throw new AnalysisConfigException(
          at
              + ": counts: with cloudWatch, its queries with ids requests and errors (no"
              + " counts.requests or counts.errors); with datadog or newRelic, counts.requests and"
              + " counts.errors");
    }
    if (m.datadog() != null) return HostedSources.datadog(at, m.datadog(), namespace, sources);
    if (m.newRelic() != null) return HostedSources.newRelic(at, m.newRelic(), namespace, sources);
    if (m.cloudWatch() != null) {
      return HostedSources.cloudWatch(at, m.cloudWatch(), namespace, sources);
    }
    PrometheusSpec p = m.prometheus() != null ? m.prometheus() : defaultProvider;
    if (p == null) {
      throw new AnalysisConfigException(
          at
              + ": no provider (set prometheus on the metric, the template or the step, or datadog or newRelic on the metric)");
    }
    return target(at, p, namespace, sources);
  }

  private static Schedule schedule(MetricDef m, Duration defaultInterval) {
    return new Schedule(
        m.interval() == null ? defaultInterval : Durations.parse(m.interval()),
        m.count() == null ? Schedule.DEFAULT_COUNT : m.count(),
        m.initialDelay() == null ? Duration.ZERO : Durations.parse(m.initialDelay()),
        orZero(m.failureLimit()),
        orZero(m.inconclusiveLimit()),
        m.consecutiveErrorLimit() == null
            ? Schedule.DEFAULT_CONSECUTIVE_ERROR_LIMIT
            : m.consecutiveErrorLimit());
  }

  private static Query query(MetricDef m) {
    if (m.sequential() != null) {
      return new Query.Sequential(sequential(m.sequential(), m.cloudWatch()));
    }
    if (m.builtin() == null) return new Query.Custom(m.query());
    return switch (m.builtin()) {
      case successRate -> new Query.SuccessRate();
      case latencyP99 -> new Query.LatencyP99();
      case sloBurnRate -> {
        if (m.slo() == null || m.slo().target() == null)
          throw new IllegalArgumentException("builtin sloBurnRate needs slo.target");
        // Named by field, not by what a zero period would later break ("factor must be positive:
        // 0.0").
        String slo = MetricChecks.sloProblem("slo", m.slo());
        if (slo != null) throw new IllegalArgumentException(slo);
        yield new Query.SloBurnRate(
            m.slo().target(),
            m.slo().burnRatesOrDefault().stream()
                .map(
                    b ->
                        new Query.BurnRule(
                            b.factor(),
                            Durations.parse(b.longWindow()),
                            Durations.parse(b.shortWindow())))
                .toList());
      }
    };
  }

  /** A hosted provider's usual time to make a point queryable (sequential.counts.ingestDelay). */
  static final Duration DEFAULT_INGEST_DELAY = Duration.ofMinutes(1);

  /** The sequential test; with CloudWatch, its counts are the queries with ids requests, errors. */
  static SequentialSpec sequential(SequentialDef d, CloudWatchSpec cloudWatch) {
    // Admission requires both effects; a Rollout stored before this CRD version gets words, not a
    // crash.
    if (d.errors() != null && d.errors().minDetectableEffect() == null) {
      throw new IllegalArgumentException("sequential.errors.minDetectableEffect is required");
    }
    if (d.latency() != null && d.latency().minDetectableEffect() == null) {
      throw new IllegalArgumentException("sequential.latency.minDetectableEffect is required");
    }
    return new SequentialSpec(
        d.alpha() == null ? SequentialSpec.DEFAULT_ALPHA : d.alpha(),
        d.power() == null ? SequentialSpec.DEFAULT_POWER : d.power(),
        d.errors() == null ? null : new SequentialSpec.ErrorTest(d.errors().minDetectableEffect()),
        d.latency() == null
            ? null
            : new SequentialSpec.LatencyTest(
                d.latency().quantile() == null
                    ? SequentialSpec.LatencyTest.DEFAULT_QUANTILE
                    : d.latency().quantile(),
                d.latency().minDetectableEffect()),
        d.exposure() == null ? DEFAULT_EXPOSURE : Durations.parse(d.exposure()),
        d.planningWindow() == null
            ? SequentialSpec.DEFAULT_PLANNING_WINDOW
            : Durations.parse(d.planningWindow()),
        d.counts() == null
            ? null
            : new SequentialSpec.CountQueries(
                cloudWatch == null
                    ? d.counts().requests()
                    : HostedSources.cloudWatchCount(cloudWatch, "requests"),
                cloudWatch == null
                    ? d.counts().errors()
                    : HostedSources.cloudWatchCount(cloudWatch, "errors"),
                d.counts().ingestDelay() == null
                    ? DEFAULT_INGEST_DELAY
                    : Durations.parse(d.counts().ingestDelay())));
  }

  private static Baseline baseline(String at, BaselineSpec b, Query q)
      throws AnalysisConfigException {
    if (b == null) return null;
    Better better =
        b.better() == null
            ? q.naturalDirection()
            : b.better() == BaselineSpec.Direction.Higher ? Better.HIGHER : Better.LOWER;
    if (better == null) {
      throw new AnalysisConfigException(at + ": baseline.better is required for a custom query");
    }
    MannWhitney mw =
        b.mannWhitney() == null
            ? null
            : new MannWhitney(
                b.mannWhitney().alpha() == null ? 0.05 : b.mannWhitney().alpha(),
                b.mannWhitney().step() == null
                    ? MannWhitney.DEFAULT_STEP
                    : Durations.parse(b.mannWhitney().step()));
    return new Baseline(better, b.maxAbsoluteDegradation(), b.maxRelativeDegradation(), mw);
  }

  static PrometheusTarget target(
      String at, PrometheusSpec p, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    // Checked before any credential is read: a refused address never learns a Secret.
    String refused = sources.providerRefusal(URI.create(p.address()));
    if (refused != null) {
      throw new AnalysisConfigException(at + ": provider refused by policy: " + refused);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (p.headers() != null) {
      for (HeaderSpec h : p.headers()) headers.put(h.name(), h.value());
    }
    return new PrometheusTarget(
        URI.create(p.address()),
        profile(p.profile()),
        p.revisionLabel(),
        p.timeout() == null ? null : Durations.parse(p.timeout()),
        credentials(at, p.auth(), namespace, sources),
        headers,
        Boolean.TRUE.equals(p.insecureSkipTlsVerify()),
        p.caCert() == null
            ? null
            : secretValue(at, namespace, p.caCert().name(), p.caCert().key(), sources),
        p.grpcFailureCodes() == null
            ? null
            : p.grpcFailureCodes().stream().map(Enum::name).collect(Collectors.toSet()));
  }

  private static Credentials credentials(
      String at, PrometheusAuth auth, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    if (auth == null) return Credentials.NONE;
    if (auth.googleServiceAccount() != null) {
      SecretKeyRef k = auth.googleServiceAccount();
      return GoogleKeys.parse(at, secretValue(at, namespace, k.name(), k.key(), sources), sources);
    }
    if (auth.bearerToken() != null) {
      return new Credentials.Bearer(
          secretValue(at, namespace, auth.bearerToken().name(), auth.bearerToken().key(), sources));
    }
    var b = auth.basic();
    String user =
        secretValue(
            at,
            namespace,
            b.secretName(),
            b.usernameKey() == null ? "username" : b.usernameKey(),
            sources);
    String pass =
        secretValue(
            at,
            namespace,
            b.secretName(),
            b.passwordKey() == null ? "password" : b.passwordKey(),
            sources);
    return new Credentials.Basic(user, pass);
  }

  /** Names the Secret and key, never the value. */
  static String secretValue(String at, String ns, String name, String key, AnalysisSources sources)
      throws AnalysisConfigException {
    Map<String, String> data;
    try {
      data = sources.secret(ns, name);
    } catch (CredentialsRefused e) {
      throw new AnalysisConfigException(at + ": " + e.getMessage());
    } catch (KubernetesClientException e) {
      throw new AnalysisConfigException(
          at
              + ": Secret "
              + ns
              + "/"
              + name
              + " could not be read (HTTP "
              + e.getCode()
              + "; a namespace admin grants it by binding ClusterRole slipway-controller-analysis-credentials)");
    }
    if (data == null)
      throw new AnalysisConfigException(at + ": Secret " + ns + "/" + name + " not found");
    String v = data.get(key);
    if (v == null)
      throw new AnalysisConfigException(at + ": Secret " + ns + "/" + name + " has no key " + key);
    return v.strip();
  }

  private static QueryProfile profile(PrometheusSpec.Profile p) {
    if (p == null) return QueryProfile.PrometheusClient;
    return switch (p) {
      case PrometheusClient -> QueryProfile.PrometheusClient;
      case Micrometer -> QueryProfile.Micrometer;
      case Istio -> QueryProfile.Istio;
      case Traefik -> QueryProfile.Traefik;
      case GrpcServer -> QueryProfile.GrpcServer;
    };
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
