package dev.slipway.e2e.images;

/** The sample app's stable and canary Services and its HTTPRoute ("shop"), as the real-node scenarios apply them. */
public final class SampleAppManifests {
  private SampleAppManifests() {}

  /** Both Services select app=shop (Slipway narrows them by revision). Ends with a document separator. */
  public static String services() {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: shop-stable}
        spec:
          selector: {app: shop}
          ports: [{port: 80, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: shop-canary}
        spec:
          selector: {app: shop}
          ports: [{port: 80, targetPort: 8080}]
        ---
        """;
  }

  /** The Services and the route, all traffic on stable. Ends with a document separator. */
  public static String servicesAndRoute(String gateway) {
    return services() + """
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
        """.formatted(gateway);
  }
}
