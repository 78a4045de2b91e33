package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Amazon CloudWatch (GetMetricData) as a metric's provider; its queries are the metric's query. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = PrometheusSpec.ADDRESS_RULE,
    message = PrometheusSpec.ADDRESS_MESSAGE,
    fieldPath = ".address")
public record CloudWatchSpec(
    @Required
        @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")
        @JsonPropertyDescription("The AWS region, e.g. eu-west-1.")
        String region,
    @Size(max = 2048)
        @Pattern(PrometheusSpec.ADDRESS_PATTERN)
        @JsonPropertyDescription(
            "Ask this address instead of https://monitoring.<region>.amazonaws.com, e.g. a VPC endpoint. The controller's address policy applies, as to Prometheus.")
        String address,
    @Required
        @JsonPropertyDescription(
            "The access keys, from a Secret of the Rollout's namespace labelled slipway.dev/analysis-credentials=true; every request is signed with them (SigV4). Never recorded.")
        Credentials credentials,
    @Required
        @Size(min = 1, max = 10)
        @JsonPropertyDescription(
            "GetMetricData's queries, as its API names them. Exactly one may return data (returnData defaults to true: set it false on the others); the value is that query's latest point in the metric's window. {{args.NAME}} may stand only in a dimension's value.")
        List<Query> queries,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Time limit of one attempt, all pages included. Defaults to 10s. Throttling, a 5xx or a time-out is retried (three attempts).")
        String timeout) {

  /** Where the keys are: one Secret, a key for each part. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Credentials(
      @Required @Size(min = 1, max = 253) @JsonPropertyDescription("The Secret's name.")
          String secretName,
      @Size(max = 253)
          @JsonPropertyDescription("Key holding the access key id. Defaults to aws_access_key_id.")
          String accessKeyIdKey,
      @Size(max = 253)
          @JsonPropertyDescription(
              "Key holding the secret access key. Defaults to aws_secret_access_key.")
          String secretAccessKeyKey,
      @Size(max = 253)
          @JsonPropertyDescription(
              "Key holding a session token, for temporary credentials. None when unset.")
          String sessionTokenKey) {}

  /** One metric data query. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.expression) != has(self.metricStat)",
      message = "set exactly one of expression and metricStat")
  public record Query(
      @Required
          @Size(min = 1, max = 255)
          @Pattern("^[a-z][a-zA-Z0-9_]*$")
          @JsonPropertyDescription("The query's id, which expressions refer to.")
          String id,
      @Size(max = 2048)
          @JsonPropertyDescription(
              "Metric math over other queries' ids, e.g. errors / requests. Takes no {{args.NAME}}.")
          String expression,
      @JsonPropertyDescription("A metric, its statistic and period.") MetricStat metricStat,
      @Size(max = 255) @JsonPropertyDescription("A label for the result.") String label,
      @JsonPropertyDescription("Whether this query's data is returned. Defaults to true.")
          Boolean returnData) {}

  /** A metric, its statistic and period. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricStat(
      @Required @JsonPropertyDescription("The metric: namespace, name, dimensions.")
          MetricId metric,
      @Required
          @Min(1)
          @Max(86400)
          @JsonPropertyDescription("Seconds per point: 1, 5, 10, 30 or a multiple of 60.")
          Integer period,
      @Required
          @Size(min = 1, max = 64)
          @JsonPropertyDescription("The statistic, e.g. Sum, Average, p99.")
          String stat,
      @Size(max = 64) @JsonPropertyDescription("The unit, e.g. Count.") String unit) {}

  /** A metric by namespace, name and dimensions. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricId(
      @Required @Size(min = 1, max = 255) @JsonPropertyDescription("e.g. AWS/ApplicationELB.")
          String namespace,
      @Required @Size(min = 1, max = 255) @JsonPropertyDescription("e.g. RequestCount.")
          String metricName,
      @Size(max = 30) @JsonPropertyDescription("The metric's dimensions, e.g. TargetGroup.")
          List<Dimension> dimensions) {}

  /** One dimension; its value may hold {{args.NAME}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dimension(
      @Required @Size(min = 1, max = 255) @JsonPropertyDescription("The dimension's name.")
          String name,
      @Required
          @Size(min = 1, max = 1024)
          @JsonPropertyDescription(
              "The dimension's value; {{args.NAME}} may stand here (and only here).")
          String value) {}
}
