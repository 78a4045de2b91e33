package dev.slipway.controller.k8s;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.run.ProviderClients;
import dev.slipway.analysis.run.Providers;
import dev.slipway.controller.analysis.AnalysisRunner;
import dev.slipway.controller.analysis.KubernetesAnalysisSources;
import dev.slipway.controller.analysis.KubernetesJobs;
import dev.slipway.controller.analysis.MetricAnalysisRunner;
import dev.slipway.controller.analysis.RunHistory;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.EvidenceRecorder;
import dev.slipway.controller.evidence.FaultPoints;
import dev.slipway.controller.evidence.KeySecret;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.evidence.RecordedRuns;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Identity;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.kube.ReplicaSets;
import dev.slipway.controller.metrics.RolloutMetrics;
import dev.slipway.controller.notify.Notifier;
import dev.slipway.controller.notify.WebhookTransport;
import dev.slipway.controller.reconcile.ActionExecutor;
import dev.slipway.controller.reconcile.EventRecorder;
import dev.slipway.controller.reconcile.ObservationReader;
import dev.slipway.controller.reconcile.PodEvictions;
import dev.slipway.controller.reconcile.ProcessorParts;
import dev.slipway.controller.reconcile.RecordedApprovals;
import dev.slipway.controller.reconcile.RolloutProcessor;
import dev.slipway.controller.reconcile.ServiceSelectors;
import dev.slipway.controller.reconcile.TrafficRelease;
import dev.slipway.controller.reconcile.Workloads;
import dev.slipway.controller.supply.CosignVerifier;
import dev.slipway.controller.supply.ImagePolicyCheck;
import dev.slipway.controller.supply.PlatformImagePolicies;
import dev.slipway.controller.supply.Registry;
import dev.slipway.controller.traffic.GatewayRouter;
import dev.slipway.controller.traffic.TrafficRouter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Wires the controller's parts; each is a plain class, so tests build them without Micronaut. */
@Factory
public class ControllerFactory {

  /**
   * In-cluster config, else KUBECONFIG / ~/.kube/config, as every Kubernetes client does;
   * slipway.kubeconfig names a file explicitly (the e2e suite runs the controller as its own user).
   */
  @Singleton
  @Bean(preDestroy = "close")
  KubernetesClient kubernetesClient(
      @Value("${slipway.kubeconfig:}") String kubeconfig,
      @Value("${slipway.leader-election.pod-name:}") String podName,
      @Value("${slipway.leader-election.hostname:}") String hostname)
      throws IOException {
    Config config =
        kubeconfig.isBlank()
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)));
    // The API server names the field manager of our status writes after the agent's product
    // (slipway-controller, as our server-side applies name it), and its audit log shows the
    // replica: with shards, who wrote what is on record.
    String replica = !podName.isBlank() ? podName : hostname.isBlank() ? "slipway" : hostname;
    config.setUserAgent(Labels.FIELD_MANAGER + "/" + replica);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Direct reads until the reconciler's informers exist, then their caches. */
  @Singleton
  ClusterReads.Switchable clusterReads(KubernetesClient client) {
    return new ClusterReads.Switchable(ClusterReads.direct(client));
  }

  @Singleton
  TrafficRouter trafficRouter(KubernetesClient client, ClusterReads.Switchable reads) {
    return new GatewayRouter(client, reads);
  }

  /**
   * One HTTP client per Prometheus target and one circuit breaker per address, shared by every
   * Rollout.
   */
  @Singleton
  @Bean(preDestroy = "close")
  ProviderClients providerClients() {
    return new ProviderClients(Resilience.defaults());
  }

  @Singleton
  AnalysisRunner analysisRunner(
      KubernetesClient client,
      ProviderClients providers,
      Clock clock,
      @Value("${slipway.evidence.enabled:true}") boolean evidence,
      @Value("${slipway.evidence.namespace:slipway-system}") String controllerNamespace,
      @Value("${slipway.provider-allow:}") String providerAllow) {
    // With evidence on, a restarted controller resumes analysis runs from the record.
    RunHistory history = evidence ? new RecordedRuns(RecordStore.reader(client)) : RunHistory.NONE;
    return new MetricAnalysisRunner(
        new KubernetesAnalysisSources(
            client, controllerNamespace, AddressPolicy.fromEnvironment(providerAllow)),
        Providers.withJobs(providers, new KubernetesJobs(client)),
        clock,
        history);
  }

  /**
   * The evidence ledger. The signing key is read from (or generated into) a Secret in the
   * controller's namespace; records are kept for the newest {@code retention} revision attempts.
   */
  @Singleton
  Evidence evidence(
      KubernetesClient client,
      @Value("${slipway.evidence.enabled:true}") boolean enabled,
      @Value("${slipway.evidence.namespace:slipway-system}") String namespace,
      @Value("${slipway.evidence.key-secret:slipway-evidence-key}") String keySecret,
      @Value("${slipway.evidence.retention:10}") int retention,
      @Value("${slipway.evidence.cached-entries:2000}") int cachedEntries,
      MeterRegistry registry) {
    if (!enabled) {
      return Evidence.NONE;
    }
    EvidenceKeys keys = evidenceKeys(client, namespace, keySecret);
    RecordStore store = new RecordStore(client, keys, retention, cachedEntries);
    Gauge.builder("slipway.evidence.cached.entries", store, x -> x.cached()[1])
        .description(
            "Evidence entries held in memory to append without a read (bounded by slipway.evidence.cached-entries)")
        .register(registry);
    return new EvidenceRecorder(store, client, FaultPoints.fromEnvironment(), Identity.of(client));
  }

  /**
   * The evidence signing key from its Secret (made on first start), retried while the API is down.
   */
  static EvidenceKeys evidenceKeys(KubernetesClient client, String namespace, String keySecret) {
    return StartupRetry.call(
        "the evidence signing key " + namespace + "/" + keySecret,
        () -> KeySecret.loadOrCreate(client, namespace, keySecret));
  }

  @Singleton
  @Bean(preDestroy = "close")
  Notifier notifier(
      KubernetesClient client,
      Clock clock,
      @Value("${slipway.evidence.namespace:slipway-system}") String namespace,
      @Value("${slipway.notifications.give-up-after:1h}") Duration giveUpAfter) {
    return new Notifier(client, namespace, clock, new WebhookTransport(), giveUpAfter);
  }

  @Singleton
  RolloutProcessor rolloutProcessor(
      KubernetesClient client,
      TrafficRouter router,
      AnalysisRunner analysis,
      Evidence evidence,
      RolloutMetrics metrics,
      Clock clock,
      ActingGuard guard,
      ClusterReads.Switchable reads,
      Notifier notifier,
      @Value("${slipway.evidence.namespace:slipway-system}") String controllerNamespace) {
    EventRecorder events = new EventRecorder(client, clock);
    ReplicaSets rs = new ReplicaSets(client, reads);
    ObservationReader reader =
        new ObservationReader(reads, router, analysis)
            .approvingWith(new RecordedApprovals(client, evidence, clock))
            .checkingImagesWith(
                new ImagePolicyCheck(
                    new CosignVerifier(
                        new Registry(AddressPolicy.fromEnvironment(), Duration.ofSeconds(10))),
                    clock,
                    new PlatformImagePolicies(client, controllerNamespace, clock)));
    return new RolloutProcessor(
        ProcessorParts.builder(
                client,
                rs,
                reader,
                new ActionExecutor(
                    rs,
                    new ServiceSelectors(client, reads),
                    router,
                    analysis,
                    events,
                    new PodEvictions(client),
                    new Workloads(client)),
                events,
                evidence,
                analysis,
                metrics,
                clock)
            .actingOn(guard)
            .readingFrom(reads)
            .notifyingThrough(notifier)
            .releasingWith(new TrafficRelease(client, router))
            .build());
  }

  @Singleton
  RolloutMetrics rolloutMetrics(MeterRegistry registry) {
    return new RolloutMetrics(registry);
  }
}
