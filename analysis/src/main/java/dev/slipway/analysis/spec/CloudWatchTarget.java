package dev.slipway.analysis.spec;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Amazon CloudWatch's GetMetricData in one region. The keys are resolved by the caller from a
 * Secret and never recorded ({@link #toString()} hides them); the SDK signs every request with them
 * (SigV4).
 *
 * @param address the monitoring endpoint, {@code https://monitoring.<region>.amazonaws.com} unless
 *     a proxy (or a VPC endpoint) is named
 * @param sessionToken for temporary credentials; null for long-term keys
 */
public record CloudWatchTarget(
    URI address,
    String region,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Duration timeout)
    implements MetricSource {

  public CloudWatchTarget {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
      throw new IllegalArgumentException("cloudWatch region " + region + " is not an AWS region");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** CloudWatch's endpoint in a region (amazonaws.com.cn in China). */
  public static URI endpoint(String region) {
    return URI.create(
        "https://monitoring."
            + region
            + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
  }

  @Override
  public String safeAddress() {
    return MetricSource.safe(address);
  }

  @Override
  public String kind() {
    return "cloudWatch";
  }

  @Override
  public String toString() {
    return "CloudWatchTarget[" + safeAddress() + ", " + region + ", keys redacted]";
  }
}
