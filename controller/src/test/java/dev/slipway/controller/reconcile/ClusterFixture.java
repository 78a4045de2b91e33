package dev.slipway.controller.reconcile;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.run.ProviderClients;
import dev.slipway.analysis.testing.SettableClock;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.controller.analysis.AnalysisRunner;
import dev.slipway.controller.analysis.KubernetesAnalysisSources;
import dev.slipway.controller.analysis.MetricAnalysisRunner;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.EvidenceRecorder;
import dev.slipway.controller.evidence.FaultPoints;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.ReplicaSets;
import dev.slipway.controller.metrics.RolloutMetrics;
import dev.slipway.controller.notify.Notifier;
import dev.slipway.controller.testing.TestRollouts;
import dev.slipway.controller.traffic.GatewayRouter;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Rollout's world on any API server (fabric8's mock or a real one): Services, an HTTPRoute with
 * parts Slipway must not touch, and stand-ins for the ReplicaSet controller and the gateway.
 */
public final class ClusterFixture {
  public final String ns;
  public final KubernetesClient client;
  public final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  public RolloutProcessor processor;
  private final ProcessorParts parts;
  public final RolloutMetrics metrics = RolloutMetrics.inMemory();
  public boolean gatewayAccepts = true;

  /** GRPCRoutes of the namespace the gateway also serves, and so accepts, after every pass. */
  public List<String> grpcRoutes = List.of();

  /** fabric8's mock server keeps no managedFields; a real one does. */
  public boolean realApiServer;

  /** One signing key for every fixture; tests verify records against it. */
  public static final EvidenceKeys KEYS = EvidenceKeys.generate();

  public ClusterFixture(KubernetesClient client) {
    this(client, "default");
  }

  /** With the production analysis runner, reading templates and Secrets from this cluster. */
  public ClusterFixture(KubernetesClient client, String namespace) {
    this(client, namespace, null);
  }

  public ClusterFixture(KubernetesClient client, String namespace, AnalysisRunner analysis) {
    this.client = client;
    this.ns = namespace;
    if (analysis == null) {
      analysis =
          new MetricAnalysisRunner(
              new KubernetesAnalysisSources(
                  client, "slipway-system", AddressPolicy.fromEnvironment()),
              new ProviderClients(Resilience.defaults()),
              clock);
    }
    GatewayRouter router = new GatewayRouter(client, ClusterReads.direct(client));
    EventRecorder events = new EventRecorder(client, clock);
    ReplicaSets rs = new ReplicaSets(client);
    parts =
        ProcessorParts.builder(
                client,
                rs,
                new ObservationReader(client, router, analysis),
                new ActionExecutor(
                    rs,
                    new ServiceSelectors(client),
                    router,
                    analysis,
                    events,
                    new PodEvictions(client),
                    new Workloads(client)),
                events,
                new EvidenceRecorder(
                    new RecordStore(client, KEYS, 10),
                    client,
                    new FaultPoints(null),
                    "test-fixture"),
                analysis,
                metrics,
                clock)
            .build();
    processor = new RolloutProcessor(parts);
  }

  /**
   * The processor rebuilt with these notifications, as a controller restarted with them would be
   * (its memory of superseded versions starts empty).
   */
  public void notifyingThrough(Notifier notifier) {
    processor = new RolloutProcessor(parts.toBuilder().notifyingThrough(notifier).build());
  }

  public void createServicesAndRoute() {
    for (String s : List.of("demo-stable", "demo-canary", "demo-shadow", "admin")) {
      client
          .services()
          .inNamespace(ns)
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName(s)
                  .endMetadata()
                  .withNewSpec()
                  .addToSelector("app", "demo")
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
    }
    client
        .resources(HTTPRoute.class)
        .inNamespace(ns)
        .resource(
            Serialization.unmarshal(
                ROUTE.replace("namespace: default", "namespace: " + ns), HTTPRoute.class))
        .create();
  }

  public Rollout rollout(String image, CanaryStep... steps) {
    Rollout r = new Rollout();
    r.getMetadata().setName("demo");
    r.getMetadata().setNamespace(ns);
    r.setSpec(spec(image, steps));
    return r;
  }

  public static Rollout withName(RolloutSpec spec, String name, String namespace) {
    return TestRollouts.withName(spec, name, namespace);
  }

  public static RolloutSpec spec(String image, CanaryStep... steps) {
    return TestRollouts.spec(image, steps);
  }

  public static RolloutSpec spec(int replicas, String image, CanaryStep... steps) {
    return TestRollouts.spec(replicas, image, steps);
  }

  /**
   * Changes the spec as a user would, retrying when the controller's status write got there first.
   */
  public void newImage(String image) {
    for (int attempt = 0; ; attempt++) {
      Rollout r = get();
      r.setSpec(
          spec(
              r.getSpec().replicas(),
              image,
              r.getSpec().strategy().canary().steps().toArray(CanaryStep[]::new)));
      try {
        client.resource(r).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  /**
   * A new image in the Rollout's own template, everything else as it is (unlike {@link #newImage},
   * which writes the fixture's spec anew).
   */
  public void setImage(String image) {
    client
        .resources(Rollout.class)
        .inNamespace(ns)
        .withName("demo")
        .edit(
            r -> {
              var t = new PodTemplateSpecBuilder(r.getSpec().template()).build();
              t.getSpec().getContainers().get(0).setImage(image);
              r.setSpec(r.getSpec().withTemplate(t));
              return r;
            });
  }

  public Rollout get() {
    return client.resources(Rollout.class).inNamespace(ns).withName("demo").get();
  }

  public HTTPRoute route() {
    return client.resources(HTTPRoute.class).inNamespace(ns).withName("demo").get();
  }

  /** Canary and stable weights of the managed rule, as [stable, canary]. */
  public int[] weights() {
    HTTPRouteRule main = route().getSpec().getRules().get(0);
    int stable = 0;
    int canary = 0;
    for (HTTPBackendRef b : main.getBackendRefs()) {
      if (b.getName().equals("demo-stable")) stable = b.getWeight();
      if (b.getName().equals("demo-canary")) canary = b.getWeight();
    }
    return new int[] {stable, canary};
  }

  /** One controller pass, then the world reacts: pods get ready, the gateway accepts. */
  public RolloutProcessor.ProcessorResult pass() {
    RolloutProcessor.ProcessorResult r = processor.process(ns, "demo");
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace(ns).list().getItems()) {
      int want = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
      if (rs.getStatus() == null
          || rs.getStatus().getReadyReplicas() == null
          || rs.getStatus().getReadyReplicas() != want) {
        rs.setStatus(
            new ReplicaSetStatusBuilder()
                .withReplicas(want)
                .withReadyReplicas(want)
                .withAvailableReplicas(want)
                .build());
        client.apps().replicaSets().resource(rs).updateStatus();
      }
    }
    if (gatewayAccepts) {
      acceptRoute();
      grpcRoutes.forEach(this::acceptGrpcRoute);
    }
    clock.advance(Duration.ofSeconds(1));
    return r;
  }

  /** What a conformant gateway does: report Accepted at the route's current generation. */
  public void acceptRoute() {
    HTTPRoute route = route();
    long gen =
        route.getMetadata().getGeneration() == null ? 1 : route.getMetadata().getGeneration();
    if (route.getStatus() != null
        && route.getStatus().getParents() != null
        && !route.getStatus().getParents().isEmpty()
        && Long.valueOf(gen)
            .equals(
                route
                    .getStatus()
                    .getParents()
                    .get(0)
                    .getConditions()
                    .get(0)
                    .getObservedGeneration())) {
      return;
    }
    route.setStatus(new HTTPRouteStatusBuilder().withParents(accepted(gen)).build());
    client.resources(HTTPRoute.class).resource(route).updateStatus();
  }

  /**
   * The GRPCRoute Accepted at its current generation, as {@link #acceptRoute} does an HTTPRoute.
   */
  public void acceptGrpcRoute(String name) {
    GRPCRoute route = client.resources(GRPCRoute.class).inNamespace(ns).withName(name).get();
    long gen =
        route.getMetadata().getGeneration() == null ? 1 : route.getMetadata().getGeneration();
    route.setStatus(new GRPCRouteStatusBuilder().withParents(accepted(gen)).build());
    client.resources(GRPCRoute.class).resource(route).updateStatus();
  }

  /** A parent's status as a conformant gateway writes it: Accepted at generation {@code gen}. */
  public static RouteParentStatus accepted(long gen) {
    return new RouteParentStatusBuilder()
        .withControllerName("example.com/gateway")
        .withNewParentRef()
        .withName("gw")
        .endParentRef()
        .withConditions(
            new ConditionBuilder()
                .withType("Accepted")
                .withStatus("True")
                .withReason("Accepted")
                .withObservedGeneration(gen)
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .withMessage("")
                .build())
        .build();
  }

  /** Writes a manual request exactly as the README's kubectl one-liner does. */
  public void request(String action) {
    client
        .resources(Rollout.class)
        .inNamespace(ns)
        .withName("demo")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"request\":{\"action\":\"" + action + "\"}}}");
  }

  /**
   * The route parts Slipway must never touch: the unrelated rule, the filter, the third backendRef.
   */
  public String untouchedParts() {
    HTTPRoute r = route();
    HTTPRouteRule main = r.getSpec().getRules().get(0);
    return Serialization.asJson(r.getSpec().getRules().get(1))
        + "|"
        + Serialization.asJson(main.getFilters())
        + "|"
        + Serialization.asJson(main.getBackendRefs().get(2))
        + "|"
        + Serialization.asJson(main.getMatches())
        + "|"
        + Serialization.asJson(r.getSpec().getParentRefs())
        + "|"
        + Serialization.asJson(r.getSpec().getHostnames());
  }

  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: demo
        namespace: default
      spec:
        parentRefs:
        - name: gw
        hostnames: ["demo.example.com"]
        rules:
        - name: main
          matches:
          - path: {type: PathPrefix, value: /}
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier:
              add:
              - {name: x-served-by, value: slipway-demo}
          backendRefs:
          - {name: demo-stable, port: 80, weight: 100}
          - {name: demo-canary, port: 80, weight: 0}
          - {name: demo-shadow, port: 80, weight: 0}
        - name: admin
          matches:
          - path: {type: PathPrefix, value: /admin}
          backendRefs:
          - {name: admin, port: 80}
      """;
}
