package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.tools.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad specs are rejected at admission by a real kube-apiserver (OpenAPI bounds and CEL rules from
 * the committed CRD), submitted with real kubectl, and the message names the field.
 */
@ResourceLock(Lanes.API_ONLY)
@Order(5)
class AdmissionTest {
  static Cluster cp;
  static Kubectl kubectl;

  @BeforeAll
  static void up() {
    cp = SharedClusters.apiOnly();
    System.out.println("cluster: " + cp.describe());
    kubectl = new Kubectl(cp.adminKubeconfig());
  }

  @AfterAll
  static void down() {
    if (cp != null) {
      cp.close();
    }
  }

  static String rollout(String name, String canary) {
    return """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %s
        spec:
          replicas: 2
          selector:
            matchLabels: {app: demo}
          template:
            metadata:
              labels: {app: demo}
            spec:
              containers:
              - {name: app, image: demo:1}
          strategy:
            canary:
        %s
        """
        .formatted(name, canary.indent(6).stripTrailing());
  }

  static final String ROUTED =
      """
      stableService: demo-stable
      canaryService: demo-canary
      trafficRouting:
        gatewayAPI:
          httpRoutes:
          - name: demo
      """;

  static List<Arguments> invalid() {
    return List.of(
        Arguments.of(
            "weight-over-100",
            ROUTED + "steps:\n- setWeight: 150\n",
            "spec.strategy.canary.steps[0].setWeight",
            "less than or equal to 100"),
        Arguments.of(
            "weight-negative",
            ROUTED + "steps:\n- setWeight: -5\n",
            "spec.strategy.canary.steps[0].setWeight",
            "greater than or equal to 0"),
        Arguments.of(
            "step-without-action",
            ROUTED + "steps:\n- setWeight: 10\n- {}\n",
            "spec.strategy.canary.steps[1]",
            "each step must set exactly one of setWeight, pause, setCanaryScale, analysis"),
        Arguments.of(
            "step-with-two-actions",
            ROUTED + "steps:\n- setWeight: 10\n  pause: {duration: 30s}\n",
            "spec.strategy.canary.steps[0]",
            "each step must set exactly one of setWeight, pause, setCanaryScale, analysis"),
        Arguments.of(
            "missing-stable-service",
            "canaryService: demo-canary\nsteps:\n- pause: {}\n",
            "spec.strategy.canary.stableService",
            "Required value"),
        Arguments.of(
            "missing-canary-service",
            "stableService: demo-stable\nsteps:\n- pause: {}\n",
            "spec.strategy.canary.canaryService",
            "Required value"),
        Arguments.of(
            "malformed-duration",
            ROUTED + "steps:\n- setWeight: 10\n- pause: {duration: 5x}\n",
            "spec.strategy.canary.steps[1].pause.duration",
            "should match"),
        Arguments.of(
            "routed-canary-without-route",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting:\n  gatewayAPI:\n    httpRoutes: []\nsteps:\n- setWeight: 10\n",
            "spec.strategy.canary.trafficRouting.gatewayAPI.httpRoutes",
            "should have at least 1 items"),
        Arguments.of(
            "gateway-api-without-any-route",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting:\n  gatewayAPI: {namespace: shop}\nsteps:\n- setWeight: 10\n",
            "spec.strategy.canary.trafficRouting.gatewayAPI",
            "name at least one HTTPRoute (httpRoutes) or GRPCRoute (grpcRoutes)"),
        Arguments.of(
            "node-selector-without-a-daemonset",
            ROUTED + "steps:\n- setCanaryScale: {nodeSelector: {zone: a}}\n",
            "spec.strategy",
            "setCanaryScale.nodeSelector names nodes: it needs workloadRef.kind DaemonSet"),
        Arguments.of(
            "canary-scale-by-count-and-by-node",
            ROUTED + "steps:\n- setCanaryScale: {replicas: 1, nodeSelector: {zone: a}}\n",
            "spec.strategy.canary.steps[0].setCanaryScale",
            "setCanaryScale must set exactly one of replicas, weight, matchTrafficWeight=true,"
                + " nodeSelector"),
        Arguments.of(
            "grpc-routes-with-a-mirror",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting:\n  gatewayAPI:\n    grpcRoutes: [{name: cart}]\n"
                + "steps:\n- setMirrorRoute: {percent: 10}\n",
            "spec.strategy.canary.steps",
            "setMirrorRoute mirrors HTTPRoutes only"),
        Arguments.of(
            "grpc-method-segment-on-an-http-route",
            ROUTED
                + "steps:\n- setHeaderRoute: {match: [{grpcMethod: {service: shop.Cart, method: Add}}]}\n",
            "spec.strategy.canary.steps",
            "a grpcMethod segment needs trafficRouting.gatewayAPI.grpcRoutes and no httpRoutes"),
        Arguments.of(
            "grpc-method-with-a-value",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting:\n  gatewayAPI:\n    grpcRoutes: [{name: cart}]\n"
                + "steps:\n- setHeaderRoute: {match: [{grpcMethod: {service: shop.Cart, method: Add}, value: v}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0].value",
            "a grpcMethod match takes none"),
        Arguments.of(
            "two-grpc-methods-in-one-segment",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting:\n  gatewayAPI:\n    grpcRoutes: [{name: cart}]\n"
                + "steps:\n- setHeaderRoute: {match: [{grpcMethod: {service: shop.Cart, method: Add}},"
                + " {grpcMethod: {service: shop.Cart, method: Drop}}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match",
            "at most one grpcMethod per segment"),
        Arguments.of(
            "grpc-method-not-a-name",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting:\n  gatewayAPI:\n    grpcRoutes: [{name: cart}]\n"
                + "steps:\n- setHeaderRoute: {match: [{grpcMethod: {service: shop.Cart, method: a/b}}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0].grpcMethod.method",
            "should match"),
        Arguments.of(
            "routing-without-gateway-api",
            "stableService: demo-stable\ncanaryService: demo-canary\n"
                + "trafficRouting: {}\nsteps:\n- setWeight: 10\n",
            "spec.strategy.canary.trafficRouting.gatewayAPI",
            "Required value"),
        Arguments.of(
            "weights-without-routing",
            "stableService: demo-stable\ncanaryService: demo-canary\nsteps:\n- setWeight: 10\n",
            "spec.strategy.canary.steps",
            "setHeaderRoute and setMirrorRoute steps need trafficRouting.gatewayAPI"),
        Arguments.of(
            "segment-header-and-cookie",
            ROUTED + "steps:\n- setHeaderRoute: {match: [{header: X-A, cookie: b, value: v}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0]",
            "each match names exactly one of header, cookie, grpcMethod"),
        Arguments.of(
            "segment-cookie-regex",
            ROUTED
                + "steps:\n- setHeaderRoute: {match: [{cookie: b, value: v, type: RegularExpression}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0]",
            "a cookie match is Exact only"),
        Arguments.of(
            "segment-on-credentials",
            ROUTED + "steps:\n- setHeaderRoute: {match: [{header: Authorization, value: v}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0].header",
            "never route on credentials"),
        Arguments.of(
            "mirror-over-100",
            ROUTED + "steps:\n- setMirrorRoute: {percent: 101}\n",
            "spec.strategy.canary.steps[0].setMirrorRoute.percent",
            "less than or equal to 100"),
        Arguments.of(
            "mirror-without-routing",
            "stableService: demo-stable\ncanaryService: demo-canary\nsteps:\n- setMirrorRoute: {percent: 10}\n",
            "spec.strategy.canary.steps",
            "setHeaderRoute and setMirrorRoute steps need trafficRouting.gatewayAPI"),
        Arguments.of(
            "same-service-twice",
            "stableService: demo\ncanaryService: demo\n",
            "spec.strategy.canary.canaryService",
            "must name different Services"),
        Arguments.of(
            "analysis-without-metrics",
            ROUTED + "steps:\n- analysis: {}\n",
            "spec.strategy.canary.steps[0].analysis",
            "an analysis needs at least one template or metric"),
        Arguments.of(
            "metric-builtin-and-query",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: successRate, query: up, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "set exactly one of builtin, query, sequential, web, job and cloudWatch"),
        Arguments.of(
            "web-check-and-query",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: up, web: {url: 'http://smoke:8080/v', jsonPath: $.v}, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "set exactly one of builtin, query, sequential, web, job and cloudWatch"),
        Arguments.of(
            "web-check-with-a-baseline",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, web: {url: 'http://smoke:8080/v', jsonPath: $.v}, threshold: {min: 1}, baseline: {maxAbsoluteDegradation: 0.1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].web",
            "a web check is judged by its threshold alone"),
        Arguments.of(
            "job-check-and-query",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: up, threshold: {min: 1}, job: {spec: {template: {spec: {containers: [{name: t, image: busybox}]}}}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "set exactly one of builtin, query, sequential, web, job and cloudWatch"),
        Arguments.of(
            "job-check-and-prometheus",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, prometheus: {address: 'http://prom:9090'}, job: {spec: {template: {spec: {containers: [{name: t, image: busybox}]}}}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "a web check and a Job check are their own provider"),
        Arguments.of(
            "job-check-with-a-threshold",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, threshold: {max: 1}, job: {spec: {template: {spec: {containers: [{name: t, image: busybox}]}}}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].job",
            "a Job check is judged by the Job's outcome"),
        Arguments.of(
            "job-check-without-a-spec",
            ROUTED + "steps:\n- analysis:\n    metrics:\n    - {name: m, job: {deadline: 1m}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].job.spec",
            "Required value"),
        Arguments.of(
            "web-check-not-http",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, web: {url: 'ftp://smoke/v', jsonPath: $.v}, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].web.url",
            "should match"),
        Arguments.of(
            "prometheus-and-datadog",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: 'sum:x{*}', threshold: {max: 1}, prometheus: {address: 'http://prom:9090'}, datadog: {apiKey: {name: dd, key: k}, appKey: {name: dd, key: a}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "a metric has one provider"),
        Arguments.of(
            "inline-metric-without-a-provider",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 0.99}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics",
            "every inline metric needs a provider"),
        Arguments.of(
            "datadog-builtin",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 0.99}, datadog: {apiKey: {name: dd, key: k}, appKey: {name: dd, key: a}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].query",
            "datadog and newRelic take queries in their own language"),
        Arguments.of(
            "sequential-counts-with-prometheus",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, counts: {requests: r, errors: e}}, prometheus: {address: 'http://127.0.0.1:9090'}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.counts",
            "sequential.counts are asked of datadog, newRelic or cloudWatch"),
        Arguments.of(
            "sequential-counts-with-latency",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, latency: {minDetectableEffect: 0.2}, counts: {requests: r, errors: e}}, datadog: {apiKey: {name: dd, key: k}, appKey: {name: dd, key: a}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.counts",
            "the errors test only"),
        Arguments.of(
            "new-relic-mann-whitney",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: 'SELECT 1', baseline: {better: Lower, mannWhitney: {}}, newRelic: {accountId: 1, apiKey: {name: nr, key: k}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].baseline",
            "only a Prometheus gives"),
        Arguments.of(
            "datadog-unknown-site",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: 'sum:x{*}', threshold: {max: 1}, datadog: {site: evil.example.com, apiKey: {name: dd, key: k}, appKey: {name: dd, key: a}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].datadog.site",
            "should match"),
        Arguments.of(
            "new-relic-metadata-address",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: 'SELECT 1', threshold: {max: 1}, newRelic: {accountId: 1, address: 'http://169.254.169.254/graphql', apiKey: {name: nr, key: k}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].newRelic.address",
            "which analysis may never query"),
        Arguments.of(
            "cloud-watch-counts-with-strings",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, counts: {requests: r, errors: e}}, cloudWatch: {region: eu-west-1, credentials: {secretName: aws}, queries: [{id: requests, metricStat: {metric: {namespace: Shop, metricName: Requests}, period: 10, stat: Sum}}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.counts",
            "with cloudWatch, queries with ids requests and errors"),
        Arguments.of(
            "cloud-watch-counts-without-an-errors-query",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, counts: {}}, cloudWatch: {region: eu-west-1, credentials: {secretName: aws}, queries: [{id: requests, metricStat: {metric: {namespace: Shop, metricName: Requests}, period: 10, stat: Sum}}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.counts",
            "with cloudWatch, queries with ids requests and errors"),
        Arguments.of(
            "datadog-counts-without-queries",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, counts: {ingestDelay: 1m}}, datadog: {apiKey: {name: dd, key: k}, appKey: {name: dd, key: a}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.counts",
            "else counts.requests and counts.errors"),
        Arguments.of(
            "cloud-watch-and-query",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: up, threshold: {max: 1}, cloudWatch: {region: eu-west-1, credentials: {secretName: aws}, queries: [{id: e, expression: 'a / b'}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "set exactly one of builtin, query, sequential, web, job and cloudWatch"),
        Arguments.of(
            "cloud-watch-query-with-expression-and-metric",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, threshold: {max: 1}, cloudWatch: {region: eu-west-1, credentials: {secretName: aws}, queries: [{id: e, expression: 'a / b', metricStat: {metric: {namespace: AWS/ELB, metricName: Requests}, period: 60, stat: Sum}}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].cloudWatch.queries[0]",
            "set exactly one of expression and metricStat"),
        Arguments.of(
            "cloud-watch-bad-region",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, threshold: {max: 1}, cloudWatch: {region: 'moon', credentials: {secretName: aws}, queries: [{id: e, expression: 'a / b'}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].cloudWatch.region",
            "should match"),
        Arguments.of(
            "bearer-and-google-service-account",
            ROUTED
                + "steps:\n- analysis:\n    prometheus: {address: 'https://monitoring.googleapis.com/v1/projects/p/location/global/prometheus', auth: {bearerToken: {name: t, key: k}, googleServiceAccount: {name: g, key: key.json}}}\n    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 0.99}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.auth",
            "set exactly one of bearerToken, basic and googleServiceAccount"),
        Arguments.of(
            "sequential-and-builtin",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: successRate, sequential: {errors: {minDetectableEffect: 0.01}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "set exactly one of builtin, query, sequential, web, job and cloudWatch"),
        Arguments.of(
            "sequential-alpha-zero",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, alpha: 0}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.alpha",
            "it must be in (0, 0.5]"),
        Arguments.of(
            "sequential-alpha-over-half",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, alpha: 0.6}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.alpha",
            "it must be in (0, 0.5]"),
        Arguments.of(
            "sequential-power-one",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}, power: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.power",
            "it must be in (0, 1)"),
        Arguments.of(
            "sequential-effect-zero",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.errors.minDetectableEffect",
            "it must be in (0, 1)"),
        Arguments.of(
            "sequential-latency-effect-negative",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {latency: {minDetectableEffect: -0.2}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.latency.minDetectableEffect",
            "it must be positive"),
        Arguments.of(
            "sequential-latency-quantile",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {latency: {quantile: 0.5, minDetectableEffect: 0.2}}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential.latency.quantile",
            "must be in (0.5, 1)"),
        Arguments.of(
            "sequential-without-a-test",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {alpha: 0.05}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential",
            "a sequential metric needs errors, latency, or both"),
        Arguments.of(
            "sequential-with-threshold",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, sequential: {errors: {minDetectableEffect: 0.01}}, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].sequential",
            "judged against the baseline by its own test"),
        Arguments.of(
            "metric-without-condition",
            ROUTED + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: successRate}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0]",
            "a metric needs a threshold, a baseline, or both"),
        Arguments.of(
            "threshold-min-above-max",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: latencyP99, threshold: {min: 2, max: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].threshold",
            "threshold min must not exceed max"),
        Arguments.of(
            "custom-baseline-without-direction",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, query: up, baseline: {maxRelativeDegradation: 0.1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].baseline",
            "must say which way is better"),
        Arguments.of(
            "credentials-in-a-header",
            ROUTED
                + "steps:\n- analysis:\n    prometheus:\n      address: http://p:9090\n"
                + "      headers: [{name: Authorization, value: Bearer x}]\n    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.headers[0]",
            "set credentials with auth, not as a header"),
        Arguments.of(
            "pause-duration-overflowing",
            ROUTED + "steps:\n- pause: {duration: 99999999999999h}\n",
            "spec.strategy.canary.steps[0].pause.duration",
            "should match"),
        Arguments.of(
            "a-rollout-name-longer-than-a-label-value-can-be-which-is-63-characters",
            ROUTED + "steps:\n- setWeight: 20\n",
            "metadata.name",
            "at most 63 characters"),
        Arguments.of(
            "burn-rate-without-slo",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: sloBurnRate, threshold: {max: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].slo",
            "builtin sloBurnRate needs slo"),
        Arguments.of(
            "slo-on-success-rate",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: successRate, slo: {target: 0.999}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].slo",
            "slo belongs to sloBurnRate only"),
        Arguments.of(
            "slo-target-of-one",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: sloBurnRate, slo: {target: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].slo.target",
            "strictly between 0 and 1"),
        Arguments.of(
            "burn-rate-with-baseline",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: sloBurnRate, slo: {target: 0.999},"
                + " baseline: {maxAbsoluteDegradation: 0.1}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].baseline",
            "judged against its SLO"),
        Arguments.of(
            "prometheus-address-with-userinfo",
            ROUTED
                + "steps:\n- analysis:\n    prometheus: {address: 'http://user:pw@p:9090'}\n"
                + "    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.address",
            "should match"),
        // Issue 27 point 7: what could only fail later is refused here, naming the field.
        Arguments.of(
            "slo-period-zero",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: sloBurnRate, slo: {target: 0.999, period: 0s}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].slo.period",
            "slo.period must be longer than 0"),
        Arguments.of(
            "burn-rate-window-zero",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: sloBurnRate, slo: {target: 0.999,"
                + " burnRates: [{factor: 14.4, longWindow: 1h, shortWindow: 0s}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].slo.burnRates[0].shortWindow",
            "must be at least 1s"),
        Arguments.of(
            "burn-rate-short-over-long",
            ROUTED
                + "steps:\n- analysis:\n    metrics:\n    - {name: m, builtin: sloBurnRate, slo: {target: 0.999,"
                + " burnRates: [{factor: 14.4, longWindow: 5m, shortWindow: 1h}]}}\n",
            "spec.strategy.canary.steps[0].analysis.metrics[0].slo.burnRates[0].shortWindow",
            "must not exceed longWindow"),
        Arguments.of(
            "segment-on-proxy-authorization",
            ROUTED
                + "steps:\n- setHeaderRoute: {match: [{header: Proxy-Authorization, value: v}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0]",
            "never route on credentials"),
        Arguments.of(
            "segment-on-an-api-key",
            ROUTED + "steps:\n- setHeaderRoute: {match: [{header: X-Api-Key, value: v}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0]",
            "never route on a credential"),
        Arguments.of(
            "segment-on-a-session-cookie",
            ROUTED + "steps:\n- setHeaderRoute: {match: [{cookie: SESSIONID, value: v}]}\n",
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0]",
            "never route on a credential"),
        Arguments.of(
            "prometheus-at-the-metadata-address",
            ROUTED
                + "steps:\n- analysis:\n    prometheus: {address: 'http://169.254.169.254'}\n"
                + "    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.address",
            "which analysis may never query"),
        Arguments.of(
            "prometheus-at-the-api-server",
            ROUTED
                + "steps:\n- analysis:\n    prometheus: {address: 'https://kubernetes.default.svc:443'}\n"
                + "    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.address",
            "which analysis may never query"),
        Arguments.of(
            "grpc-failure-codes-without-the-grpc-profile",
            ROUTED
                + "steps:\n- analysis:\n    prometheus: {address: 'http://p:9090', grpcFailureCodes: [NotFound]}\n"
                + "    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.grpcFailureCodes",
            "only with profile GrpcServer"),
        Arguments.of(
            "grpc-failure-code-misspelled",
            ROUTED
                + "steps:\n- analysis:\n    prometheus: {address: 'http://p:9090', profile: GrpcServer, grpcFailureCodes: [NOT_FOUND]}\n"
                + "    metrics:\n    - {name: m, builtin: successRate, threshold: {min: 1}}\n",
            "spec.strategy.canary.steps[0].analysis.prometheus.grpcFailureCodes[0]",
            "Unsupported value"));
  }

  /** Every sample in samples/ passes the real API server's validation (server-side dry run). */
  @Test
  void everySampleIsAcceptedByTheApiServer() throws Exception {
    Crds.installGatewayApi(cp.admin());
    kubectl.run(null, "create", "namespace", "slipway-system");
    List<Path> files;
    try (var walk = Files.walk(Crds.repoRoot().resolve("samples"))) {
      // samples/argocd holds Argo CD objects (an Application, argocd-cm) for an Argo CD cluster;
      // the
      // Helm chart and the kustomization are rendered and installed by the install tests.
      files =
          walk.filter(
                  p ->
                      p.toString().endsWith(".yaml")
                          && !p.toString().contains("/target/")
                          && !p.toString().contains("/samples/argocd/")
                          && !p.toString().contains("/install/helm/")
                          && !p.getFileName().toString().equals("kustomization.yaml"))
              .sorted()
              .toList();
    }
    assertTrue(files.size() >= 6, files.toString());
    for (Path f : files) {
      Kubectl.Result r = kubectl.run(null, "apply", "--dry-run=server", "-f", f.toString());
      assertEquals(0, r.exit(), f + ": " + r.out());
      System.out.println(
          "accepted "
              + Crds.repoRoot().relativize(f)
              + ": "
              + r.out().lines().count()
              + " objects");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectedWithAMessageNamingTheField(
      String name, String canary, String field, String message) {
    Kubectl.Result r = kubectl.run(rollout(name, canary), "apply", "-f", "-");
    assertNotEquals(0, r.exit(), "should be rejected: " + r.out());
    assertTrue(r.out().contains(field), "message names " + field + ": " + r.out());
    assertTrue(r.out().contains(message), "message says '" + message + "': " + r.out());
    System.out.println("rejected " + name + ": " + r.out().strip());
  }

  /** Fleet releases: a bad Release is refused at admission, naming what is wrong. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidReleases")
  void aBadReleaseIsRejectedWithAMessage(String name, String spec, String message) {
    String yaml =
        "apiVersion: slipway.dev/v1alpha1\nkind: Release\nmetadata: {name: "
            + name
            + ", namespace: default}\nspec:\n"
            + spec;
    Kubectl.Result r = kubectl.run(yaml, "apply", "--dry-run=server", "-f", "-");
    assertNotEquals(0, r.exit(), "should be rejected: " + r.out());
    assertTrue(r.out().contains(message), "message says '" + message + "': " + r.out());
    System.out.println("rejected release " + name + ": " + r.out().strip());
  }

  static Stream<Arguments> invalidReleases() {
    String image = "  revision: {image: 'r.example/shop@sha256:" + "a".repeat(64) + "'}\n";
    String rollouts = "  rollouts: {namespace: shop, names: [shop]}\n";
    return Stream.of(
        Arguments.of(
            "tag-not-digest",
            "  revision: {image: 'r.example/shop:v2'}\n"
                + rollouts
                + "  waves: [{name: one, clusters: {names: [a]}}]\n",
            "spec.revision.image"),
        Arguments.of(
            "same-wave-twice",
            image
                + rollouts
                + "  waves: [{name: one, clusters: {names: [a]}}, {name: one, clusters: {names: [b]}}]\n",
            "wave names must be unique"),
        Arguments.of(
            "no-rollouts",
            image + "  waves: [{name: one, clusters: {names: [a]}}]\n",
            "every wave needs rollouts"),
        Arguments.of(
            "names-and-labels",
            image
                + rollouts
                + "  waves: [{name: one, clusters: {names: [a], matchLabels: {region: eu}}}]\n",
            "name the clusters or select them by label, not both"),
        Arguments.of("no-waves", image + rollouts + "  waves: []\n", "spec.waves"),
        Arguments.of(
            "bad-selector",
            image
                + rollouts
                + "  memberSelector: 'region in (eu)'\n  waves: [{name: one, clusters: {names: [a]}}]\n",
            "spec.memberSelector"));
  }

  /** A Release's revision is what its waves passed on: it cannot be changed, only replaced. */
  @Test
  void aReleasesRevisionCannotChange() {
    String release =
        "apiVersion: slipway.dev/v1alpha1\nkind: Release\nmetadata: {name: fixed, namespace: default}\nspec:\n"
            + "  revision: {image: 'r.example/shop@sha256:%s'}\n"
            + "  rollouts: {namespace: shop, names: [shop]}\n"
            + "  waves: [{name: one, clusters: {names: [a]}}]\n";
    Kubectl.Result created = kubectl.run(release.formatted("a".repeat(64)), "apply", "-f", "-");
    assertEquals(0, created.exit(), created.out());
    try {
      Kubectl.Result changed = kubectl.run(release.formatted("b".repeat(64)), "apply", "-f", "-");
      assertNotEquals(0, changed.exit(), "should be rejected: " + changed.out());
      assertTrue(changed.out().contains("a Release's revision cannot change"), changed.out());
      System.out.println("rejected a changed revision: " + changed.out().strip());
    } finally {
      kubectl.run(null, "delete", "release.slipway.dev", "fixed", "-n", "default");
    }
  }

  @Test
  void aStrategyIsExactlyOneOfCanaryAndBlueGreen() {
    String both =
        rollout("both", "stableService: a\ncanaryService: b\n")
            .replace(
                "  strategy:\n",
                "  strategy:\n    blueGreen: {activeService: a, previewService: b}\n");
    Kubectl.Result r = kubectl.run(both, "apply", "-f", "-");
    assertNotEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("spec.strategy: set exactly one of canary, blueGreen"), r.out());
    String same =
        rollout("same", "stableService: a\ncanaryService: b\n")
            .replaceAll(
                "(?s)  strategy:\n.*",
                "  strategy:\n    blueGreen: {activeService: a, previewService: a}\n");
    r = kubectl.run(same, "apply", "-f", "-");
    assertNotEquals(0, r.exit(), r.out());
    assertTrue(
        r.out().contains("activeService and previewService must name different Services"), r.out());
    String ok =
        rollout("bg-ok", "stableService: a\ncanaryService: b\n")
            .replaceAll(
                "(?s)  strategy:\n.*",
                "  strategy:\n    blueGreen: {activeService: a, previewService: b, autoPromotionAfter: 30s, previewReplicas: 1}\n");
    r = kubectl.run(ok, "apply", "-f", "-");
    assertEquals(0, r.exit(), r.out());
    System.out.println(
        "blue/green at admission: both refused, same Services refused, valid accepted");
  }

  @Test
  void aValidRolloutIsAccepted() {
    Kubectl.Result r =
        kubectl.run(
            rollout(
                "valid",
                ROUTED
                    + "steps:\n- setWeight: 20\n- pause: {duration: 1m30s}\n- setWeight: 50\n- pause: {}\n"),
            "apply",
            "-f",
            "-");
    assertEquals(0, r.exit(), r.out());
    Kubectl.Result get = kubectl.run(null, "get", "rollouts.slipway.dev", "valid");
    assertTrue(get.out().startsWith("NAME"), get.out());
    assertTrue(
        get.out().contains("PHASE") && get.out().contains("WEIGHT") && get.out().contains("STABLE"),
        get.out());
  }
}
