package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.argocd.ArgoCd;
import dev.slipway.e2e.argocd.GitServer;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.SampleAppManifests;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A real Argo CD (v3, built from its Go module) syncs Slipway Rollouts from a Git repository served
 * on 127.0.0.1, with self-heal on, using the argocd-cm and the Application shipped in
 * samples/argocd: once with client-side apply (namespace shop-csa) and once with server-side apply
 * (shop-ssa), both from the same commits. A watcher records every sync and health status of both
 * Applications and every weight of their routes, so the tests can say what Argo CD showed and that
 * self-heal never put Git's weights back.
 */
@ResourceLock(Lanes.KWOK_A)
@Order(10)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArgoCdE2ETest {
  static final List<String> APPS = List.of("shop-csa", "shop-ssa");
  static final ResourceDefinitionContext APPLICATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("argoproj.io")
          .withVersion("v1alpha1")
          .withPlural("applications")
          .withKind("Application")
          .withNamespaced(true)
          .build();
  static KwokStack stack;
  static ArgoCd argo;
  static GitServer git;
  static Kubectl kubectl;
  static Watcher watcher;
  static int image = 1;

  @BeforeAll
  static void up() throws Exception {
    Prerequisites.need(ArgoCd.unavailableReason());
    stack = new KwokStack(Lanes.KWOK_A);
    kubectl = stack.kubectl;
    long t0 = System.nanoTime();
    argo = ArgoCd.start(stack.cp, true);
    System.out.printf(
        "Argo CD v%s (repo server, application controller, API server, Redis) up in %d ms%n",
        ArgoCd.VERSION, (System.nanoTime() - t0) / 1_000_000);
    git = GitServer.start(Files.createDirectories(stack.cp.dir().resolve("git")), "deploy");
    // A commit asks Argo CD to refresh at once, as a Git host's webhook would, instead of waiting
    // for
    // the next poll; the 5 s poll stays, for self-heal.
    git.onPush(ArgoCdE2ETest::refresh);
    git.write("shop/route.yaml", route("/admin"))
        .write("shop/rollout.yaml", rollout(image))
        .commit("shop v1");
    for (String app : APPS) {
      stack
          .cp
          .admin()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(app).endMetadata().build())
          .create();
      Kubectl.Result r = kubectl.run(application(app), "apply", "-f", "-");
      assertEquals(0, r.exit(), r.out());
    }
    watcher = new Watcher();
  }

  @AfterAll
  static void down() {
    if (watcher != null) watcher.close();
    if (watcher != null)
      System.out.printf("%s%n", "Argo CD sync/health sequences observed:\n" + watcher.sequences());
    if (git != null) git.close();
    if (argo != null) argo.close();
    if (stack != null) stack.close();
  }

  /**
   * The shipped Application, pointed at our Git server, cluster and namespace; the ignored weights
   * are this route's.
   */
  static String application(String name) throws Exception {
    String shipped = Files.readString(Crds.repoRoot().resolve("samples/argocd/application.yaml"));
    String app =
        shipped
            .replace("name: checkout", "name: " + name)
            .replace("https://git.example.com/shop/deploy.git", git.url())
            .replace("path: checkout", "path: shop")
            .replace("server: https://kubernetes.default.svc", "server: " + argo.server())
            .replace("namespace: shop", "namespace: " + name)
            .replace("checkout-stable", "shop-stable")
            .replace("checkout-canary", "shop-canary");
    if (name.endsWith("-ssa")) {
      app =
          app.replace(
                  "    - ApplyOutOfSyncOnly=true",
                  "    - ApplyOutOfSyncOnly=true\n    - ServerSideApply=true")
              .replace(
                  "  namespace: argocd\n",
                  "  namespace: argocd\n  annotations: {argocd.argoproj.io/compare-options: ServerSideDiff=true}\n");
    }
    assertTrue(app.contains(git.url()) && app.contains("shop-stable"), app);
    return app;
  }

  /** The sample app's Services and a route with the managed rule and an unrelated one. */
  static String route(String adminPath) {
    return SampleAppManifests.services()
        + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop}
        spec:
          parentRefs: [{name: shop-gateway}]
          rules:
          - name: main
            backendRefs:
            - {name: shop-stable, port: 80, weight: 100}
            - {name: shop-canary, port: 80, weight: 0}
          - name: admin
            matches: [{path: {type: PathPrefix, value: %s}}]
            backendRefs:
            - {name: shop-stable, port: 80}
        """
            .formatted(adminPath);
  }

  static String rollout(int version) {
    return """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: shop}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: shop}
          template:
            metadata:
              labels: {app: shop}
            spec:
              containers: [{name: app, image: "shop:%d"}]
          strategy:
            canary:
              stableService: shop-stable
              canaryService: shop-canary
              # KWOK pods carry no traffic: nothing to drain, so the old pods go at once (as in ClusterFixture).
              scaleDownDelay: 0s
              trafficRouting:
                gatewayAPI:
                  httpRoutes: [{name: shop, rules: [main]}]
              steps:
              - setWeight: 20
              - pause: {}
              - setWeight: 60
              - pause: {duration: 1s}
        """
        .formatted(version);
  }

  @Test
  @Order(1)
  void aSyncFromGitIsHealthy() {
    for (String app : APPS) {
      await(
          app + " Synced and Healthy",
          Duration.ofMinutes(3),
          () -> "Synced Healthy".equals(appStatus(app)));
      assertEquals(RevisionState.Stable, rollout(app).getStatus().state());
    }
    System.out.printf(
        "after the first sync: %s%n", APPS.stream().map(a -> a + "=" + appStatus(a)).toList());
  }

  /**
   * A new image committed to Git: Argo CD shows Progressing, then Suspended at the pause step, then
   * Healthy once promoted; through the pause (several reconciliations and self-heal periods) the
   * route keeps Slipway's weights and the Application stays Synced.
   */
  @Test
  @Order(2)
  void aCommittedImageIsACanaryThatArgoCdFollowsWithoutRevertingWeights() {
    int from = watcher.mark();
    git.write("shop/rollout.yaml", rollout(++image)).commit("shop v" + image);
    for (String app : APPS) {
      await(
          app + " paused at step 2 with weight 20 verified",
          Duration.ofMinutes(3),
          () -> {
            RolloutStatus s = rollout(app).getStatus();
            return s != null
                && s.state() == RevisionState.Paused
                && Integer.valueOf(20).equals(s.verifiedWeight());
          });
      await(
          app + " Suspended",
          Duration.ofMinutes(1),
          () -> "Synced Suspended".equals(appStatus(app)));
    }
    // Self-heal runs every 5 s here: watch three rounds of it.
    Instant until = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(until)) {
      for (String app : APPS) {
        assertEquals(
            List.of(80, 20),
            weights(app),
            app + ": Slipway's weights stay while Argo CD reconciles");
        assertEquals("Synced Suspended", appStatus(app), app);
      }
      Await.sleep(500);
    }
    for (String app : APPS) request(app, "PromoteFull");
    for (String app : APPS) {
      await(
          app + " Healthy after promotion",
          Duration.ofMinutes(3),
          () ->
              "Synced Healthy".equals(appStatus(app))
                  && rollout(app).getStatus().state() == RevisionState.Stable);
    }
    for (String app : APPS) {
      // The watcher polls on its own thread: let it see the Healthy the await above saw.
      await(
          app + " Healthy seen by the watcher",
          Duration.ofSeconds(10),
          () -> inOrder(watcher.health(app, from), "Progressing", "Suspended", "Healthy"));
      List<String> seen = watcher.health(app, from);
      System.out.printf("%s%n", app + " health after the commit: " + seen);
      assertTrue(inOrder(seen, "Progressing", "Suspended", "Healthy"), app + ": " + seen);
      assertEquals(
          0, watcher.flaps(app, from), app + " flapped OutOfSync: " + watcher.sequence(app, from));
      assertTrue(
          watcher.outOfSync(app, from) <= 1,
          app + ": OutOfSync once at most, for the commit: " + watcher.sequence(app, from));
    }
  }

  /**
   * A Git change to another rule of the same HTTPRoute reaches the cluster while a canary runs. The
   * sync applies Git's rules, Git's weights (100/0) with them; Slipway puts its own back and
   * records the drift. The weights seen meanwhile only ever move toward stable.
   */
  @Test
  @Order(3)
  void anUnrelatedRuleChangeInGitReachesTheClusterMidCanary() {
    git.write("shop/rollout.yaml", rollout(++image)).commit("shop v" + image);
    for (String app : APPS) {
      await(
          app + " paused with weight 20",
          Duration.ofMinutes(3),
          () -> {
            RolloutStatus s = rollout(app).getStatus();
            return s != null
                && s.state() == RevisionState.Paused
                && Integer.valueOf(20).equals(s.verifiedWeight());
          });
    }
    git.write("shop/route.yaml", route("/backoffice")).commit("admin path /backoffice");
    Map<String, Instant> arrived = new HashMap<>();
    Map<String, Instant> restored = new HashMap<>();
    Map<String, Integer> lowest = new HashMap<>();
    Instant deadline = Instant.now().plus(TestTime.of(Duration.ofMinutes(2)));
    while (restored.size() < APPS.size() && Instant.now().isBefore(deadline)) {
      for (String app : APPS) {
        if (restored.containsKey(app)) continue;
        HTTPRoute r = route(app, true);
        List<Integer> w = weights(r);
        lowest.merge(app, w.get(1), Math::min);
        assertTrue(
            w.get(1) <= 20, app + ": the canary never gets more than its step's weight: " + w);
        if ("/backoffice".equals(adminPath(r))) {
          arrived.putIfAbsent(app, Instant.now());
          if (w.equals(List.of(80, 20))) restored.put(app, Instant.now());
        }
      }
      Await.sleep(50);
    }
    for (String app : APPS) {
      assertTrue(
          restored.containsKey(app),
          app
              + ": admin rule "
              + adminPath(route(app, true))
              + ", weights "
              + weights(app)
              + ", "
              + appStatus(app)
              + "\n"
              + argo.log("application-controller"));
      assertEquals(RevisionState.Paused, rollout(app).getStatus().state());
      List<String> drift =
          stack.cp.admin().v1().events().inNamespace(app).list().getItems().stream()
              .filter(e -> "Drift".equals(e.getReason()))
              .map(e -> e.getMessage())
              .toList();
      System.out.printf(
          "%s: Git's admin rule arrived; weights back at 80/20 %d ms later (lowest canary weight seen %d); %s; drift: %s%n",
          app,
          Duration.between(arrived.get(app), restored.get(app)).toMillis(),
          lowest.get(app),
          appStatus(app),
          drift);
    }
    for (String app : APPS) {
      await(
          app + " Synced after the route change",
          Duration.ofMinutes(1),
          () -> appStatus(app).startsWith("Synced"));
    }
    for (String app : APPS) request(app, "PromoteFull");
    for (String app : APPS) {
      await(
          app + " Stable",
          Duration.ofMinutes(3),
          () ->
              rollout(app).getStatus().state() == RevisionState.Stable
                  && "Synced Healthy".equals(appStatus(app)));
    }
  }

  /**
   * Each shipped action run through Argo CD (argocd app actions run, on shop-csa) leaves the
   * Rollout where its one-liner leaves shop-ssa: three canaries, acted on in turn.
   */
  @Test
  @Order(4)
  void eachShippedActionDoesWhatItsOneLinerDoes() {
    String[][][] rounds = {
      {{"pause", "Pause"}, {"abort", "Abort"}, {"retry", "Retry"}, {"promote", "Promote"}},
      {{"resume", "Resume"}},
      {{"promote-full", "PromoteFull"}, {"restart", "Restart"}}
    };
    for (String[][] round : rounds) {
      git.write("shop/rollout.yaml", rollout(++image)).commit("shop v" + image);
      awaitPausedAtTwenty();
      for (String[] step : round) {
        RolloutStatus beforeA = rollout("shop-csa").getStatus();
        RolloutStatus beforeB = rollout("shop-ssa").getStatus();
        Kubectl.Result r =
            argo.cli(
                "app",
                "actions",
                "run",
                "argocd/shop-csa",
                step[0],
                "--kind",
                "Rollout",
                "--group",
                "slipway.dev",
                "--resource-name",
                "shop",
                "--namespace",
                "shop-csa");
        assertEquals(
            0,
            r.exit(),
            "argocd app actions run " + step[0] + ": " + r.out() + "\n" + argo.log("server"));
        request("shop-ssa", step[1]);
        await(
            "shop-csa handled " + step[1],
            Duration.ofSeconds(60),
            () -> handled(rollout("shop-csa").getStatus(), beforeA, step[1]));
        await(
            "shop-ssa handled " + step[1],
            Duration.ofSeconds(60),
            () -> handled(rollout("shop-ssa").getStatus(), beforeB, step[1]));
        // Compared once both have settled: the passes after a request may differ in timing, not in
        // where they lead.
        await(
            "both Rollouts agree after " + step[0],
            Duration.ofSeconds(30),
            () ->
                shape(rollout("shop-csa").getStatus())
                    .equals(shape(rollout("shop-ssa").getStatus())));
        System.out.printf(
            "action %-12s via Argo CD: %s | one-liner: %s%n",
            step[0],
            shape(rollout("shop-csa").getStatus()),
            shape(rollout("shop-ssa").getStatus()));
        assertTrue(
            !rollout("shop-csa").getStatus().lastAction().result().startsWith("refused"),
            step[0] + " was refused");
        if (step[1].equals("Retry")) awaitPausedAtTwenty();
        if (step[1].equals("PromoteFull")) {
          for (String app : APPS)
            await(
                app + " Stable",
                Duration.ofMinutes(3),
                () -> rollout(app).getStatus().state() == RevisionState.Stable);
        }
        if (step[1].equals("Restart")) {
          for (String app : APPS) {
            await(
                app + ": the restart finished",
                Duration.ofMinutes(3),
                () -> rollout(app).getStatus().restartedAt() != null);
          }
        }
      }
      for (String app : APPS) {
        await(
            app + " Stable",
            Duration.ofMinutes(3),
            () -> rollout(app).getStatus().state() == RevisionState.Stable);
      }
    }
  }

  static void awaitPausedAtTwenty() {
    for (String app : APPS) {
      await(
          app + " paused at step 2 with weight 20",
          Duration.ofMinutes(3),
          () -> {
            RolloutStatus s = rollout(app).getStatus();
            return s != null
                && s.state() == RevisionState.Paused
                && Integer.valueOf(20).equals(s.verifiedWeight());
          });
    }
  }

  static RolloutStatus handled(RolloutStatus now, RolloutStatus before, String action) {
    if (now == null
        || now.lastAction() == null
        || now.lastAction().equals(before == null ? null : before.lastAction())) return null;
    return now.lastAction().action().name().equals(action) ? now : null;
  }

  /** Where a Rollout is, with the times in a restart's answer masked (each Rollout's own). */
  static String shape(RolloutStatus s) {
    return s.state()
        + " step="
        + s.currentStepIndex()
        + " desired="
        + s.desiredWeight()
        + " action="
        + s.lastAction().action()
        + ": "
        + s.lastAction().result().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<time>");
  }

  /**
   * Ten canaries in a row, each promoted: the Applications never leave Synced, and each commit is
   * one sync.
   */
  /**
   * With slipway.dev/argocd-paused-health: Healthy on the Rollout (in Git), a paused canary counts
   * as Healthy, so the sync's PostSync hook runs while the Rollout is paused (argo-cd #19422).
   */
  @Test
  @Order(5)
  void thePausedHealthAnnotationLetsAPostSyncHookRunWhileThePauseHolds() {
    String annotated =
        rollout(++image)
            .replace(
                "metadata: {name: shop}",
                "metadata:\n  name: shop\n  annotations: {slipway.dev/argocd-paused-health: Healthy}");
    git.write("shop/rollout.yaml", annotated)
        .write(
            "shop/smoke.yaml",
            """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: smoke-%d
          annotations:
            argocd.argoproj.io/hook: PostSync
        data: {ran: "true"}
        """
                .formatted(image))
        .commit("shop v" + image + " with a PostSync hook");
    for (String app : APPS) {
      String hook = "smoke-" + image;
      await(
          app + ": the PostSync hook ran",
          Duration.ofMinutes(3),
          () -> stack.cp.admin().configMaps().inNamespace(app).withName(hook).get() != null);
      RolloutStatus s = rollout(app).getStatus();
      System.out.printf(
          "%s: PostSync hook %s ran with the Rollout %s (%s); Application %s%n",
          app, hook, s.state(), s.message(), appStatus(app));
      assertEquals(RevisionState.Paused, s.state(), app + ": the hook ran during the pause");
    }
    for (String app : APPS) request(app, "PromoteFull");
    for (String app : APPS) {
      await(
          app + " Stable",
          Duration.ofMinutes(3),
          () ->
              rollout(app).getStatus().state() == RevisionState.Stable
                  && "Synced Healthy".equals(appStatus(app)));
    }
    new File(stack.cp.dir().resolve("git/deploy/shop/smoke.yaml").toString()).delete();
    String head =
        git.write("shop/rollout.yaml", rollout(image)).commit("drop the annotation and the hook");
    for (String app : APPS) awaitSyncedAt(app, head);
  }

  /**
   * The Application synced to this commit, the sync finished and recorded, and Healthy: nothing
   * left in flight.
   */
  @SuppressWarnings("unchecked")
  static void awaitSyncedAt(String app, String commit) {
    await(
        app + " synced at " + commit,
        Duration.ofMinutes(2),
        () -> {
          GenericKubernetesResource a = app(app);
          Map<String, Object> st =
              (Map<String, Object>) a.getAdditionalProperties().getOrDefault("status", Map.of());
          Map<String, Object> op =
              (Map<String, Object>) st.getOrDefault("operationState", Map.of());
          Map<String, Object> result =
              (Map<String, Object>) op.getOrDefault("syncResult", Map.of());
          return "Synced Healthy".equals(appStatus(a))
              && commit.equals(syncRevision(a))
              && "Succeeded".equals(op.get("phase"))
              && commit.equals(result.get("revision"));
        });
  }

  @Test
  @Order(6)
  void tenCanariesInARowCauseNoOutOfSyncFlap() {
    String head = git.head();
    for (String app : APPS) awaitSyncedAt(app, head);
    int from = watcher.mark();
    Map<String, Long> syncsBefore = new HashMap<>();
    for (String app : APPS) syncsBefore.put(app, lastSyncId(app));
    for (int i = 0; i < 10; i++) {
      git.write("shop/rollout.yaml", rollout(++image)).commit("shop v" + image);
      for (String app : APPS) {
        await(
            app + " canary " + (i + 1) + " paused",
            Duration.ofMinutes(3),
            () -> {
              RolloutStatus s = rollout(app).getStatus();
              return s != null
                  && s.state() == RevisionState.Paused
                  && Integer.valueOf(20).equals(s.verifiedWeight());
            });
        request(app, "PromoteFull");
      }
      for (String app : APPS) {
        await(
            app + " canary " + (i + 1) + " Stable",
            Duration.ofMinutes(3),
            () ->
                rollout(app).getStatus().state() == RevisionState.Stable
                    && "Synced Healthy".equals(appStatus(app)));
      }
    }
    for (String app : APPS) {
      long syncs = lastSyncId(app) - syncsBefore.get(app);
      int flaps = watcher.flaps(app, from);
      int commitsSeen = watcher.outOfSync(app, from);
      System.out.printf(
          "%s: 10 canaries, %d syncs, OutOfSync %d times (each for a new commit), %d flaps; health %s%n",
          app, syncs, commitsSeen, flaps, compress(watcher.health(app, from)));
      assertEquals(0, flaps, app + ": " + watcher.sequence(app, from));
      assertTrue(
          commitsSeen <= 10,
          app + ": OutOfSync only for the 10 commits: " + watcher.sequence(app, from));
      assertEquals(
          10, syncs, app + ": one sync per commit, none by self-heal; history: " + history(app));
    }
  }

  /**
   * Issue 29: a StatefulSet walked in place under Argo CD with self-heal. Git holds the StatefulSet
   * (no partition) and its Rollout; Slipway holds the partition at 3, lowers it to 2 for the new
   * template's canary and back once promoted, and neither Application (client-side apply and diff;
   * server-side apply and diff) ever shows that as drift: no OutOfSync flap, no self-heal sync
   * undoing it.
   */
  @Test
  @Order(7)
  void aStatefulSetWalkedByItsPartitionCausesNoOutOfSyncFlap() {
    git.write("shop/ledger.yaml", ledger(1)).commit("ledger v1");
    for (String app : APPS) {
      await(
          app + ": ledger Stable, its partition held, Synced Healthy",
          Duration.ofMinutes(3),
          () ->
              ledgerStatus(app).state() == RevisionState.Stable
                  && partition(app) == 3
                  && "Synced Healthy".equals(appStatus(app)));
    }
    int from = watcher.mark();
    git.write("shop/ledger.yaml", ledger(2)).commit("ledger v2");
    for (String app : APPS) {
      await(
          app + ": ledger paused with ordinal 2 on v2, Synced Suspended",
          Duration.ofMinutes(3),
          () ->
              ledgerStatus(app).state() == RevisionState.Paused
                  && partition(app) == 2
                  && "1/3 ordinals [2], partition 2".equals(ledgerStatus(app).updated())
                  && "Synced Suspended".equals(appStatus(app)));
    }
    // Self-heal runs every 5 s here: three rounds of it leave the partition where Slipway put it.
    Instant until = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(until)) {
      for (String app : APPS) {
        assertEquals(2, partition(app), app + ": Slipway's partition stays");
        assertEquals("Synced Suspended", appStatus(app), app);
      }
      Await.sleep(500);
    }
    for (String app : APPS) {
      Kubectl.Result r = kubectl.request(app, "ledger", "PromoteFull");
      assertEquals(0, r.exit(), r.out());
    }
    for (String app : APPS) {
      await(
          app + ": ledger Stable on v2, its partition held again, Synced Healthy",
          Duration.ofMinutes(3),
          () ->
              ledgerStatus(app).state() == RevisionState.Stable
                  && partition(app) == 3
                  && "3/3 ordinals [0, 1, 2], partition 3".equals(ledgerStatus(app).updated())
                  && "Synced Healthy".equals(appStatus(app)));
      int flaps = watcher.flaps(app, from);
      System.out.printf(
          "%s: StatefulSet canary by partition 3 > 2 > 0 > 3 under Argo CD: OutOfSync %d times, %d flaps; health %s%n",
          app, watcher.outOfSync(app, from), flaps, compress(watcher.health(app, from)));
      assertEquals(0, flaps, app + ": " + watcher.sequence(app, from));
      assertTrue(
          watcher.outOfSync(app, from) <= 1,
          app + ": OutOfSync once at most, for the commit: " + watcher.sequence(app, from));
    }
  }

  static RolloutStatus ledgerStatus(String ns) {
    Rollout r = stack.cp.admin().resources(Rollout.class).inNamespace(ns).withName("ledger").get();
    return r == null || r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
  }

  static int partition(String ns) {
    var sts = stack.cp.admin().apps().statefulSets().inNamespace(ns).withName("ledger").get();
    var ru = sts == null ? null : sts.getSpec().getUpdateStrategy().getRollingUpdate();
    return ru == null || ru.getPartition() == null ? 0 : ru.getPartition();
  }

  /** A StatefulSet as Git holds it (no partition), its Services, and the Rollout walking it. */
  static String ledger(int version) {
    return SampleAppManifests.services("ledger")
        + """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: ledger
          annotations: {slipway.dev/adopt-by: ledger}
        spec:
          replicas: 3
          serviceName: ledger
          selector:
            matchLabels: {app: ledger}
          updateStrategy: {type: RollingUpdate}
          template:
            metadata:
              labels: {app: ledger}
            spec:
              containers: [{name: app, image: "ledger:%d"}]
        ---
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: ledger}
        spec:
          workloadRef: {kind: StatefulSet, name: ledger}
          selector:
            matchLabels: {app: ledger}
          strategy:
            canary:
              stableService: ledger-stable
              canaryService: ledger-canary
              scaleDownDelay: 0s
              steps:
              - setCanaryScale: {replicas: 1}
              - pause: {}
        """
            .formatted(version);
  }

  /** The Application's sync history: id, revision and when, for a failure's message. */
  @SuppressWarnings("unchecked")
  static String history(String name) {
    Map<String, Object> st =
        (Map<String, Object>) app(name).getAdditionalProperties().get("status");
    List<Map<String, Object>> h = (List<Map<String, Object>>) st.getOrDefault("history", List.of());
    StringBuilder b = new StringBuilder();
    for (Map<String, Object> x : h) {
      b.append("\n  #")
          .append(x.get("id"))
          .append(' ')
          .append(x.get("revision"))
          .append(" deployed ")
          .append(x.get("deployedAt"))
          .append(" started ")
          .append(x.get("deployStartedAt"))
          .append(" by ")
          .append(x.get("initiatedBy"));
    }
    return b + "\n" + argo.log("application-controller");
  }

  static String compress(List<String> seq) {
    List<String> out = new ArrayList<>();
    for (String s : seq) if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) out.add(s);
    return String.join(" > ", out);
  }

  static boolean inOrder(List<String> seen, String... wanted) {
    int i = 0;
    for (String s : seen) if (i < wanted.length && s.equals(wanted[i])) i++;
    return i == wanted.length;
  }

  /**
   * The argocd.argoproj.io/refresh annotation on both Applications: Argo CD compares with Git now.
   */
  static void refresh() {
    for (String app : APPS) {
      if (app(app) == null) continue;
      Kubectl.Result r =
          kubectl.run(
              null,
              "annotate",
              "--overwrite",
              "-n",
              ArgoCd.NS,
              "application.argoproj.io/" + app,
              "argocd.argoproj.io/refresh=normal");
      assertEquals(0, r.exit(), r.out());
    }
  }

  static void request(String ns, String action) {
    Kubectl.Result r = kubectl.request(ns, "shop", action);
    assertEquals(0, r.exit(), r.out());
  }

  static Rollout rollout(String ns) {
    return stack.cp.admin().resources(Rollout.class).inNamespace(ns).withName("shop").get();
  }

  static GenericKubernetesResource app(String name) {
    return stack
        .cp
        .admin()
        .genericKubernetesResources(APPLICATIONS)
        .inNamespace(ArgoCd.NS)
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  static String appStatus(String name) {
    return appStatus(app(name));
  }

  @SuppressWarnings("unchecked")
  static String appStatus(GenericKubernetesResource a) {
    if (a == null || a.getAdditionalProperties().get("status") == null) return "";
    Map<String, Object> st = (Map<String, Object>) a.getAdditionalProperties().get("status");
    Map<String, Object> sync = (Map<String, Object>) st.getOrDefault("sync", Map.of());
    Map<String, Object> health = (Map<String, Object>) st.getOrDefault("health", Map.of());
    return sync.getOrDefault("status", "") + " " + health.getOrDefault("status", "");
  }

  /** The commit the Application last compared against (status.sync.revision). */
  @SuppressWarnings("unchecked")
  static String syncRevision(String name) {
    return syncRevision(app(name));
  }

  @SuppressWarnings("unchecked")
  static String syncRevision(GenericKubernetesResource a) {
    if (a == null || a.getAdditionalProperties().get("status") == null) return "";
    Map<String, Object> st = (Map<String, Object>) a.getAdditionalProperties().get("status");
    return String.valueOf(
        ((Map<String, Object>) st.getOrDefault("sync", Map.of())).getOrDefault("revision", ""));
  }

  /** The id of the Application's last sync in its history (ids count up from 0, one per sync). */
  @SuppressWarnings("unchecked")
  static long lastSyncId(String name) {
    Map<String, Object> st =
        (Map<String, Object>) app(name).getAdditionalProperties().get("status");
    List<Map<String, Object>> history =
        (List<Map<String, Object>>) st.getOrDefault("history", List.of());
    return history.isEmpty()
        ? -1
        : ((Number) history.get(history.size() - 1).get("id")).longValue();
  }

  static HTTPRoute route(String ns, boolean unused) {
    return stack.cp.admin().resources(HTTPRoute.class).inNamespace(ns).withName("shop").get();
  }

  static List<Integer> weights(String ns) {
    return weights(route(ns, true));
  }

  /** [stable, canary] weights of the main rule. */
  static List<Integer> weights(HTTPRoute route) {
    HTTPRouteRule main =
        route.getSpec().getRules().stream()
            .filter(r -> "main".equals(r.getName()))
            .findFirst()
            .orElseThrow();
    int stable = -1;
    int canary = -1;
    for (HTTPBackendRef b : main.getBackendRefs()) {
      if (b.getName().equals("shop-stable")) stable = b.getWeight();
      if (b.getName().equals("shop-canary")) canary = b.getWeight();
    }
    return List.of(stable, canary);
  }

  static String adminPath(String ns) {
    return adminPath(route(ns, true));
  }

  static String adminPath(HTTPRoute route) {
    return route.getSpec().getRules().stream()
        .filter(r -> "admin".equals(r.getName()))
        .findFirst()
        .map(r -> r.getMatches().get(0).getPath().getValue())
        .orElse(null);
  }

  static <T> T await(String what, Duration timeout, Supplier<T> probe) {
    return Await.until(what, timeout)
        .every(Duration.ofMillis(200))
        .explaining(
            () ->
                "apps "
                    + APPS.stream()
                        .map(
                            a ->
                                a
                                    + "="
                                    + appStatus(a)
                                    + " rollout "
                                    + (rollout(a) == null || rollout(a).getStatus() == null
                                        ? null
                                        : rollout(a).getStatus().state()
                                            + " "
                                            + rollout(a).getStatus().message()))
                        .toList()
                    + "\napplication-controller:\n"
                    + argo.log("application-controller"))
        .value(probe);
  }

  static void await(String what, Duration timeout, BooleanSupplier probe) {
    await(what, timeout, () -> probe.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Polls both Applications every 100 ms and keeps each change of sync and health status. */
  static final class Watcher implements AutoCloseable {
    record Seen(Instant at, String app, String sync, String health, String revision) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Map<String, String> last = new ConcurrentHashMap<>();
    final Thread thread;
    volatile boolean running = true;

    Watcher() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  for (String app : APPS) {
                    try {
                      // One read for both: two could straddle Argo CD's status update and pair the
                      // old
                      // status with the new commit (seen once as a false flap).
                      GenericKubernetesResource a = app(app);
                      String s = appStatus(a);
                      String rev = syncRevision(a);
                      if (!(s + " " + rev).equals(last.get(app))) {
                        last.put(app, s + " " + rev);
                        String[] p = (s + " ").split(" ", -1);
                        seen.add(new Seen(Instant.now(), app, p[0], p.length > 1 ? p[1] : "", rev));
                      }
                    } catch (RuntimeException e) {
                      // the API server is busy; look again
                    }
                  }
                  Await.sleep(100);
                }
              },
              "argocd-watcher");
      thread.setDaemon(true);
      thread.start();
    }

    int mark() {
      return seen.size();
    }

    List<Seen> since(String app, int from) {
      return seen.subList(from, seen.size()).stream().filter(s -> s.app().equals(app)).toList();
    }

    List<String> health(String app, int from) {
      return since(app, from).stream().map(Seen::health).toList();
    }

    /** Times the Application showed OutOfSync: each new commit does so once, until its sync. */
    int outOfSync(String app, int from) {
      int n = 0;
      String prev = "";
      for (Seen s : since(app, from)) {
        if (s.sync().equals("OutOfSync") && !prev.equals("OutOfSync")) n++;
        prev = s.sync();
      }
      return n;
    }

    /**
     * Flaps: OutOfSync at a revision the Application had already shown Synced at (self-heal's
     * trigger). A new commit's OutOfSync is not one: nothing has synced it yet.
     */
    int flaps(String app, int from) {
      int n = 0;
      Set<String> syncedSoFar = new HashSet<>();
      List<Seen> all = since(app, 0);
      int skip = all.size() - since(app, from).size();
      for (int i = 0; i < all.size(); i++) {
        Seen s = all.get(i);
        if (i >= skip && s.sync().equals("OutOfSync") && syncedSoFar.contains(s.revision())) n++;
        if (s.sync().equals("Synced")) syncedSoFar.add(s.revision());
      }
      return n;
    }

    String sequence(String app, int from) {
      return since(app, from).stream().map(s -> s.sync() + "/" + s.health()).toList().toString();
    }

    String sequences() {
      StringBuilder b = new StringBuilder();
      for (String app : APPS)
        b.append("  ")
            .append(app)
            .append(": ")
            .append(compress(since(app, 0).stream().map(s -> s.sync() + "/" + s.health()).toList()))
            .append('\n');
      return b.toString();
    }

    @Override
    public void close() {
      running = false;
    }
  }
}
