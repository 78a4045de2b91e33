package dev.slipway.controller.analysis;

import dev.slipway.analysis.spec.CloudWatchTarget;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.NewRelicTarget;
import dev.slipway.api.v1alpha1.CloudWatchSpec;
import dev.slipway.api.v1alpha1.DatadogSpec;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.NewRelicSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;

/**
 * A hosted provider (Datadog, New Relic, CloudWatch) as written in the API turned into its resolved
 * target: the address from the site or region unless one is given, judged by the controller's
 * address policy before any key is read (a refused address never learns a Secret), then the keys
 * read from the opted-in Secrets.
 */
final class HostedSources {
  private HostedSources() {}

  static DatadogTarget datadog(String at, DatadogSpec d, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    if (d.apiKey() == null || d.appKey() == null) {
      throw new AnalysisConfigException(at + ": datadog needs apiKey and appKey");
    }
    URI address =
        d.address() != null
            ? URI.create(d.address())
            : DatadogTarget.site(d.site() == null ? "datadoghq.com" : d.site());
    allowed(at, "datadog", address, sources);
    return new DatadogTarget(
        address,
        d.apiVersion() == DatadogSpec.ApiVersion.v1
            ? DatadogTarget.Version.V1
            : DatadogTarget.Version.V2,
        d.aggregator() == null ? null : d.aggregator().name(),
        MetricDefs.secretValue(at, namespace, d.apiKey().name(), d.apiKey().key(), sources),
        MetricDefs.secretValue(at, namespace, d.appKey().name(), d.appKey().key(), sources),
        d.timeout() == null ? null : Durations.parse(d.timeout()));
  }

  static NewRelicTarget newRelic(
      String at, NewRelicSpec n, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    if (n.accountId() == null)
      throw new AnalysisConfigException(at + ": newRelic.accountId is required");
    URI address =
        n.address() != null
            ? URI.create(n.address())
            : n.region() == NewRelicSpec.Region.EU ? NewRelicTarget.EU : NewRelicTarget.US;
    allowed(at, "newRelic", address, sources);
    return new NewRelicTarget(
        address,
        n.accountId(),
        MetricDefs.secretValue(at, namespace, n.apiKey().name(), n.apiKey().key(), sources),
        n.resultField(),
        n.timeout() == null ? null : Durations.parse(n.timeout()));
  }

  static CloudWatchTarget cloudWatch(
      String at, CloudWatchSpec c, String namespace, AnalysisSources sources)
      throws AnalysisConfigException {
    if (c.region() == null || c.credentials() == null || c.credentials().secretName() == null) {
      throw new AnalysisConfigException(at + ": cloudWatch needs region and credentials");
    }
    URI address =
        c.address() != null ? URI.create(c.address()) : CloudWatchTarget.endpoint(c.region());
    allowed(at, "cloudWatch", address, sources);
    CloudWatchSpec.Credentials k = c.credentials();
    String secret = k.secretName();
    return new CloudWatchTarget(
        address,
        c.region(),
        MetricDefs.secretValue(
            at,
            namespace,
            secret,
            k.accessKeyIdKey() == null ? "aws_access_key_id" : k.accessKeyIdKey(),
            sources),
        MetricDefs.secretValue(
            at,
            namespace,
            secret,
            k.secretAccessKeyKey() == null ? "aws_secret_access_key" : k.secretAccessKeyKey(),
            sources),
        k.sessionTokenKey() == null
            ? null
            : MetricDefs.secretValue(at, namespace, secret, k.sessionTokenKey(), sources),
        c.timeout() == null ? null : Durations.parse(c.timeout()));
  }

  /** CloudWatch's queries as the metric's query: the JSON the API takes, args still unfilled. */
  static String cloudWatchQueries(CloudWatchSpec c) {
    return cloudWatchQueries(c.queries());
  }

  /**
   * A sequential metric's count query: the one of the metric's queries with this id, alone and
   * returning its data (a Sum per period, totalled over each look's interval).
   *
   * @throws IllegalArgumentException when there is no such query
   */
  static String cloudWatchCount(CloudWatchSpec c, String id) {
    CloudWatchSpec.Query q =
        (c.queries() == null ? java.util.List.<CloudWatchSpec.Query>of() : c.queries())
            .stream()
                .filter(x -> id.equals(x.id()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "cloudWatch.queries has no query with id "
                                + id
                                + " (a sequential metric's counts)"));
    return cloudWatchQueries(
        java.util.List.of(
            new CloudWatchSpec.Query(q.id(), q.expression(), q.metricStat(), q.label(), true)));
  }

  /** Queries as the analysis side reads them: the JSON list GetMetricData's model is built from. */
  static String cloudWatchQueries(java.util.List<CloudWatchSpec.Query> queries) {
    return Serialization.asJson(queries == null ? java.util.List.of() : queries);
  }

  private static void allowed(String at, String kind, URI address, AnalysisSources sources)
      throws AnalysisConfigException {
    String refused = sources.providerRefusal(address);
    if (refused != null) {
      throw new AnalysisConfigException(at + ": " + kind + " refused by policy: " + refused);
    }
  }
}
