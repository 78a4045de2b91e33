package dev.slipway.e2e.workload;

import dev.slipway.e2e.images.Images;

/**
 * The sample app's stable and canary Services and its HTTPRoute ("shop"), as the real-node
 * scenarios apply them.
 */
public final class SampleAppManifests {
  private SampleAppManifests() {}

  /**
   * Both Services select app=shop (Slipway narrows them by revision). Ends with a document
   * separator.
   */
  public static String services() {
    return services("shop");
  }

  /** The same for another app: APP-stable and APP-canary, selecting app=APP. */
  public static String services(String app) {
    return services(app, "{port: 80, targetPort: 8080}");
  }

  /**
   * APP-stable and APP-canary for the sample app's gRPC port: 9090, h2c, as gateways expect of a
   * gRPC backend.
   */
  public static String grpcServices(String app) {
    return services(
        app, "{name: grpc, port: 9090, targetPort: 9090, appProtocol: kubernetes.io/h2c}");
  }

  private static String services(String app, String port) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s-stable}
        spec:
          selector: {app: %1$s}
          ports: [%2$s]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s-canary}
        spec:
          selector: {app: %1$s}
          ports: [%2$s]
        ---
        """
        .formatted(app, port);
  }

  /** The Services and the route, all traffic on stable. Ends with a document separator. */
  public static String servicesAndRoute(String gateway) {
    return services()
        + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - name: main
            backendRefs:
            - {name: shop-stable, port: 80, weight: 100}
            - {name: shop-canary, port: 80, weight: 0}
        ---
        """
            .formatted(gateway);
  }

  /**
   * The sample app's pod template (labels app=shop) as a {@code template:} block at column 0, for a
   * Rollout's or a Deployment's spec: indent it by two.
   */
  public static String podTemplate(String version, String errorRate, String latencyMs) {
    return podTemplate(Images.SAMPLE_APP, "Never", version, errorRate, latencyMs);
  }

  /** The same, from another image reference (a registry's, by digest) and pull policy. */
  public static String podTemplate(
      String image, String pullPolicy, String version, String errorRate, String latencyMs) {
    return podTemplate("shop", image, pullPolicy, version, errorRate, latencyMs);
  }

  /**
   * The same for another app (labels app=APP). The image serves gRPC on 9090 too (its GRPC_PORT),
   * with the same error rate and latency.
   */
  public static String podTemplate(String app, String version, String errorRate, String latencyMs) {
    return podTemplate(app, Images.SAMPLE_APP, "Never", version, errorRate, latencyMs);
  }

  private static String podTemplate(
      String app,
      String image,
      String pullPolicy,
      String version,
      String errorRate,
      String latencyMs) {
    return """
        template:
          metadata:
            labels: {app: %s}
          spec:
            containers:
            - name: app
              image: %s
              imagePullPolicy: %s
              env:
              - {name: VERSION, value: "%s"}
              - {name: ERROR_RATE, value: "%s"}
              - {name: LATENCY_MS, value: "%s"}
              ports: [{containerPort: 8080}, {containerPort: 9090}]
              readinessProbe:
                httpGet: {path: /healthz, port: 8080}
                periodSeconds: 1
                # Ready within a second of starting; out of rotation only after 5 s of failed
                # probes, each given 3 s: a 2-core machine running two test lanes starves a JVM
                # for seconds at a time, and that is not the release under test failing.
                timeoutSeconds: 3
                failureThreshold: 5
              securityContext: {readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false}
        """
        .formatted(app, image, pullPolicy, version, errorRate, latencyMs);
  }
}
