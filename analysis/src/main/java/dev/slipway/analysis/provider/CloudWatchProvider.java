package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.spec.CloudWatchTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * Amazon CloudWatch as a {@link MetricProvider}: GetMetricData over the metric's window through the
 * AWS SDK, which signs each request (SigV4) with the target's keys and follows NextToken from page
 * to page. The SDK's own retries are off: time limit, breaker and retries are {@link Resilience}'s,
 * as for every provider. The value is the latest point of the one query whose data is returned.
 */
public final class CloudWatchProvider extends HostedProvider implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Pages read at most: a canary's window holds a few hundred points, not thousands of pages. */
  static final int MAX_PAGES = 10;

  private final CloudWatchTarget target;
  private final CloudWatchClient client;
  private final Resilience resilience;

  public CloudWatchProvider(CloudWatchTarget target, Resilience resilience) {
    this.target = target;
    this.resilience = resilience;
    AwsCredentials keys =
        target.sessionToken() == null
            ? AwsBasicCredentials.create(target.accessKeyId(), target.secretAccessKey())
            : AwsSessionCredentials.create(
                target.accessKeyId(), target.secretAccessKey(), target.sessionToken());
    this.client =
        CloudWatchClient.builder()
            .region(Region.of(target.region()))
            // Always set: the address the policy judged is the only one the SDK may reach.
            .endpointOverride(target.address())
            .credentialsProvider(StaticCredentialsProvider.create(keys))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(target.timeout())
                    .socketTimeout(target.timeout()))
            .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
            .build();
  }

  @Override
  public QueryOutcome value(String queries, Instant at, Duration window) {
    GetMetricDataRequest request;
    try {
      request =
          GetMetricDataRequest.builder()
              .metricDataQueries(parse(queries))
              .startTime(at.minus(window))
              .endTime(at)
              .scanBy(ScanBy.TIMESTAMP_DESCENDING)
              .build();
    } catch (IllegalArgumentException e) {
      return new QueryOutcome.Failure("cloudWatch queries: " + e.getMessage());
    }
    return ProviderCalls.ask(
        resilience,
        target.safeAddress(),
        target.timeout(),
        () -> ask(request),
        CloudWatchProvider::read);
  }

  /**
   * The sum of the points of the one query that returns data, from {@code from} to {@code to}: each
   * point a period's Sum, so the interval must start and end on the periods' bounds ({@link
   * #countStep}), as CloudWatch rounds a start down to its period.
   */
  @Override
  public QueryOutcome count(String queries, Instant from, Instant to) {
    GetMetricDataRequest request;
    try {
      request =
          GetMetricDataRequest.builder()
              .metricDataQueries(parse(queries))
              .startTime(from)
              .endTime(to)
              .scanBy(ScanBy.TIMESTAMP_ASCENDING)
              .build();
    } catch (IllegalArgumentException e) {
      return new QueryOutcome.Failure("cloudWatch counts queries: " + e.getMessage());
    }
    return ProviderCalls.ask(
        resilience,
        target.safeAddress(),
        target.timeout(),
        () -> ask(request),
        CloudWatchProvider::sum);
  }

  /**
   * The longest period among the queries' metrics (an expression's points are its metrics'
   * periods); a minute when there is none, CloudWatch's standard resolution.
   */
  @Override
  public Duration countStep(String queries) {
    long longest = 0;
    try {
      for (JsonNode q : JSON.readTree(queries)) {
        if (q.has("metricStat")) {
          longest = Math.max(longest, q.path("metricStat").path("period").asLong(60));
        }
      }
    } catch (Exception e) {
      // count() names the problem; the look is cut to minutes meanwhile.
      longest = 0;
    }
    return Duration.ofSeconds(longest == 0 ? 60 : longest);
  }

  /** The total of the one query that returns data; NoData when it has no point. */
  static QueryOutcome sum(List<MetricDataResult> results) {
    QueryOutcome.Failure refused = refused(results);
    if (refused != null) return refused;
    double total = 0;
    int points = 0;
    for (MetricDataResult r : results) {
      for (Double v : r.values()) {
        if (v == null || !Double.isFinite(v)) continue;
        total += v;
        points++;
      }
    }
    return points == 0
        ? new QueryOutcome.NoData("no datapoints in the interval")
        : new QueryOutcome.Value(total);
  }

  /**
   * Why the results cannot be read: a query CloudWatch refused or failed, or more than one query
   * returning data; null when they can.
   */
  private static QueryOutcome.Failure refused(List<MetricDataResult> results) {
    List<String> ids = new ArrayList<>();
    for (MetricDataResult r : results) {
      if (!ids.contains(r.id())) ids.add(r.id());
      String status = String.valueOf(r.statusCode());
      if (status.equals("Forbidden") || status.equals("InternalError")) {
        return new QueryOutcome.Failure("CloudWatch answered query " + r.id() + " with " + status);
      }
    }
    if (ids.size() > 1) {
      return new QueryOutcome.Failure(
          ids.size() + " queries return data " + ids + ": set returnData false on all but one");
    }
    return null;
  }

  /** Every page's results (at most {@link #MAX_PAGES}). */
  private List<MetricDataResult> ask(GetMetricDataRequest request) {
    List<MetricDataResult> results = new ArrayList<>();
    try {
      int pages = 0;
      for (GetMetricDataResponse page : client.getMetricDataPaginator(request)) {
        results.addAll(page.metricDataResults());
        if (++pages >= MAX_PAGES) break;
      }
    } catch (AwsServiceException e) {
      throw failure(e);
    } catch (SdkClientException e) {
      throw new TransportException(
          "cannot reach " + target.safeAddress() + ": " + UpstreamText.connection(e), true, null);
    } catch (SdkException e) {
      throw new TransportException(
          "CloudWatch call to " + target.safeAddress() + " failed", false, null);
    }
    return results;
  }

  private TransportException failure(AwsServiceException e) {
    int code = e.statusCode();
    String awsCode = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    boolean credentials =
        code == 401
            || code == 403
            || "InvalidClientTokenId".equals(awsCode)
            || "SignatureDoesNotMatch".equals(awsCode)
            || "UnrecognizedClientException".equals(awsCode)
            || "ExpiredToken".equals(awsCode);
    UpstreamText.logged("HTTP " + code + " " + awsCode, target.safeAddress(), e.getMessage());
    if (e.isThrottlingException()) {
      return new TransportException(
          "HTTP " + code + " from " + target.safeAddress() + " (throttled)", true, null);
    }
    if (credentials)
      return TransportException.status(code == 400 ? 403 : code, target.safeAddress(), null);
    return new TransportException(
        "HTTP "
            + code
            + " from "
            + target.safeAddress()
            + " (error code "
            + (awsCode != null && awsCode.matches("[A-Za-z0-9.]{1,64}") ? awsCode : "other")
            + ")",
        code >= 500,
        null);
  }

  /** The results of the queries that return data: exactly one, its latest value. */
  static QueryOutcome read(List<MetricDataResult> results) {
    QueryOutcome.Failure refused = refused(results);
    if (refused != null) return refused;
    Double latest = null;
    for (MetricDataResult r : results) {
      if (latest == null && !r.values().isEmpty()) latest = r.values().get(0);
    }
    if (latest == null || !Double.isFinite(latest)) {
      return new QueryOutcome.NoData("no datapoints in the window");
    }
    return new QueryOutcome.Value(latest);
  }

  /** The rendered queries (see {@code CloudWatchQueries}) as the SDK's model. */
  static List<MetricDataQuery> parse(String queries) {
    JsonNode list;
    try {
      list = JSON.readTree(queries);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON");
    }
    List<MetricDataQuery> out = new ArrayList<>();
    for (JsonNode q : list) {
      MetricDataQuery.Builder b = MetricDataQuery.builder().id(q.path("id").asText(null));
      if (q.hasNonNull("expression")) b.expression(q.get("expression").asText());
      if (q.hasNonNull("label")) b.label(q.get("label").asText());
      if (q.hasNonNull("returnData")) b.returnData(q.get("returnData").asBoolean());
      JsonNode stat = q.path("metricStat");
      if (stat.isObject()) {
        JsonNode metric = stat.path("metric");
        List<Dimension> dims = new ArrayList<>();
        for (JsonNode d : metric.path("dimensions")) {
          dims.add(
              Dimension.builder()
                  .name(d.path("name").asText())
                  .value(d.path("value").asText())
                  .build());
        }
        MetricStat.Builder s =
            MetricStat.builder()
                .metric(
                    Metric.builder()
                        .namespace(metric.path("namespace").asText(null))
                        .metricName(metric.path("metricName").asText(null))
                        .dimensions(dims)
                        .build())
                .period(stat.path("period").asInt(60))
                .stat(stat.path("stat").asText(null));
        if (stat.hasNonNull("unit")) s.unit(stat.get("unit").asText());
        b.metricStat(s.build());
      }
      out.add(b.build());
    }
    return out;
  }

  @Override
  public String address() {
    return target.safeAddress();
  }

  @Override
  public void close() {
    client.close();
  }
}
