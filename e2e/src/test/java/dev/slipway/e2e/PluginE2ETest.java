package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.kube.Identity;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.samples.argocd.LuaScripts;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * `kubectl slipway` (found by kubectl's plugin lookup) against the plain-kubectl (docs/kubectl.md)
 * one-liners: two identical Rollouts, driven side by side, one with each. Every mutating command
 * must leave its Rollout exactly where the one-liner leaves the other.
 */
@ResourceLock(Lanes.KWOK_B)
@Order(21)
class PluginE2ETest {
  static KwokStack stack;
  static Cluster cp;
  static Kubectl kubectl;

  @BeforeAll
  static void up() {
    stack = new KwokStack(Lanes.KWOK_B);
    cp = stack.cp;
    kubectl = stack.kubectl;
  }

  @AfterAll
  static void down() {
    if (stack != null) stack.close();
  }

  static ClusterFixture namespace(String ns) {
    ClusterFixture f = stack.namespace(ns);
    f.createServicesAndRoute();
    f.client
        .resource(
            f.rollout(
                "p:1",
                CanaryStep.weight(20),
                CanaryStep.pause(null),
                CanaryStep.weight(50),
                CanaryStep.pause(null),
                CanaryStep.weight(80)))
        .create();
    await(f, s -> s.state() == RevisionState.Stable);
    return f;
  }

  static RolloutStatus await(ClusterFixture f, Predicate<RolloutStatus> p) {
    return RolloutAwait.status(f, p, Duration.ofSeconds(90), new ArrayList<>());
  }

  /** What the two Rollouts must agree on after the same action. */
  static String shape(RolloutStatus s) {
    ActionRecord a = s.lastAction();
    return s.phase()
        + " "
        + s.state()
        + " step="
        + s.currentStepIndex()
        + " desired="
        + s.desiredWeight()
        + " pauses="
        + (s.pauseConditions() == null
            ? "[]"
            : s.pauseConditions().stream().map(p -> p.reason()).toList())
        + " action="
        + (a == null ? null : a.action() + ": " + a.result());
  }

  static void both(
      ClusterFixture viaKubectl, ClusterFixture viaPlugin, String action, String[] plugin) {
    Kubectl.Result k =
        kubectl.run(
            null,
            "patch",
            "rollout.slipway.dev",
            "demo",
            "-n",
            viaKubectl.ns,
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"request\":{\"action\":\"" + action + "\"}}}");
    assertEquals(0, k.exit(), k.out());
    List<String> args = new ArrayList<>(List.of(plugin));
    args.addAll(List.of("demo", "-n", viaPlugin.ns));
    Kubectl.Result p = kubectl.plugin(args.toArray(String[]::new));
    System.out.println("  kubectl slipway " + String.join(" ", plugin) + ": " + p.out().strip());
    Predicate<RolloutStatus> handled =
        s ->
            s.lastAction() != null
                && s.lastAction().action().name().equals(action)
                && s.request() == null;
    RolloutStatus a = await(viaKubectl, handled);
    RolloutStatus b = await(viaPlugin, handled);
    // Settle: the action's consequences (e.g. the next pause) take another pass or two, longer on a
    // busy machine: wait until both agree and stay so for a moment.
    String[] last = {"", ""};
    Await.until(
        action + ": both Rollouts settle in the same shape",
        Duration.ofSeconds(60),
        () -> {
          String sa = shape(viaKubectl.get().getStatus());
          String sb = shape(viaPlugin.get().getStatus());
          boolean same = sa.equals(sb) && sa.equals(last[0]) && sb.equals(last[1]);
          last[0] = sa;
          last[1] = sb;
          if (!same) Await.sleep(400);
          return same;
        });
    a = viaKubectl.get().getStatus();
    b = viaPlugin.get().getStatus();
    assertEquals(shape(a), shape(b), action);
    assertEquals("kubectl-patch", a.lastAction().fieldManager());
    assertEquals("kubectl-slipway", b.lastAction().fieldManager());
    assertEquals(
        Identity.of(cp.admin()),
        b.lastAction().requestedBy(),
        "the plugin says who asked (SelfSubjectReview)");
    // The plugin waited for the controller's answer: a refusal is exit 1 with its reason, anything
    // else 0.
    boolean refused = b.lastAction().result().startsWith("refused");
    assertEquals(refused ? 1 : 0, p.exit(), p.out());
    assertTrue(
        refused
            ? p.out().contains(b.lastAction().result())
            : p.out().contains(": " + b.lastAction().result()),
        p.out());
  }

  /**
   * Saves the live Rollout as an Argo CD fixture (samples/argocd/testdata, with
   * -Dslipway.updateArgoFixtures=true) and checks the health script on it here and now.
   */
  static void capture(ClusterFixture f, String name, String expectedHealth) throws Exception {
    var json = (ObjectNode) new ObjectMapper().readTree(Serialization.asJson(f.get()));
    ((ObjectNode) json.get("metadata"))
        .remove(List.of("managedFields", "uid", "resourceVersion", "creationTimestamp"));
    var health = LuaScripts.run(Crds.repoRoot().resolve("samples/argocd/health.lua"), json);
    assertEquals(expectedHealth, health.get("status").asText(), name + ": " + health);
    System.out.println("  argocd health of live " + name + " rollout: " + health);
    if (System.getProperty("slipway.updateArgoFixtures") != null) {
      Files.writeString(
          Crds.repoRoot().resolve("samples/argocd/testdata/" + name + ".json"),
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
  }

  /**
   * Shell completion offers the Rollouts of the namespace typed on the line (-n, --namespace=), as
   * kubectl's does.
   */
  @Test
  void completionHonoursTheNamespaceTyped() {
    for (String[] nsName :
        new String[][] {{"complete-a", "alpha-web"}, {"complete-b", "alpha-api"}}) {
      ClusterFixture f = stack.namespace(nsName[0]);
      f.client
          .resource(ClusterFixture.withName(ClusterFixture.spec("c:1"), nsName[1], nsName[0]))
          .create();
    }
    Kubectl.Result a = kubectl.complete("-n", "complete-a", "pause", "al");
    Kubectl.Result b = kubectl.complete("--namespace=complete-b", "get", "rollout", "al");
    Kubectl.Result before = kubectl.complete("status", "-n", "complete-b", "alpha");
    System.out.println(
        "__complete -n complete-a pause al: "
            + a.out().strip().replace('\n', ' ')
            + "; --namespace=complete-b get rollout al: "
            + b.out().strip().replace('\n', ' '));
    assertEquals(List.of("alpha-web", ":4"), a.out().strip().lines().toList(), a.out());
    assertEquals(List.of("alpha-api", ":4"), b.out().strip().lines().toList(), b.out());
    assertEquals(List.of("alpha-api", ":4"), before.out().strip().lines().toList(), before.out());
  }

  @Test
  void everyMutatingCommandDoesWhatItsOneLinerDoes() throws Exception {
    LuaScripts.requireLua();
    ClusterFixture k = namespace("plugin-kubectl");
    ClusterFixture p = namespace("plugin-plugin");
    capture(p, "healthy", "Healthy");
    for (ClusterFixture f : List.of(k, p)) f.newImage("p:2");
    await(
        p,
        s ->
            s.phase() == Phase.Progressing
                && s.canaryRevision() != null
                && p.get().getMetadata().getGeneration().equals(s.observedGeneration()));
    capture(p, "progressing", "Progressing");
    await(
        k,
        s -> s.state() == RevisionState.Paused && Integer.valueOf(1).equals(s.currentStepIndex()));
    await(
        p,
        s -> s.state() == RevisionState.Paused && Integer.valueOf(1).equals(s.currentStepIndex()));
    capture(p, "paused", "Suspended");

    both(k, p, "Resume", new String[] {"resume"});
    await(k, s -> Integer.valueOf(3).equals(s.currentStepIndex()));
    await(p, s -> Integer.valueOf(3).equals(s.currentStepIndex()));
    both(k, p, "Promote", new String[] {"promote"});
    both(k, p, "Pause", new String[] {"pause"});
    both(k, p, "PromoteFull", new String[] {"promote", "--full"});
    await(k, s -> s.state() == RevisionState.Stable && s.canaryRevision() == null);
    await(p, s -> s.state() == RevisionState.Stable && s.canaryRevision() == null);

    for (ClusterFixture f : List.of(k, p)) f.newImage("p:3");
    await(
        k,
        s -> s.state() == RevisionState.Paused && Integer.valueOf(1).equals(s.currentStepIndex()));
    await(
        p,
        s -> s.state() == RevisionState.Paused && Integer.valueOf(1).equals(s.currentStepIndex()));
    both(k, p, "Abort", new String[] {"abort"});
    await(k, s -> s.state() == RevisionState.RolledBack && s.message().startsWith("rolled back"));
    await(p, s -> s.state() == RevisionState.RolledBack && s.message().startsWith("rolled back"));
    capture(p, "degraded", "Degraded");
    both(k, p, "Retry", new String[] {"retry"});
    assertEquals(2, p.get().getStatus().attempt());

    // status: documented exit codes; get and list render; -o json prints the object.
    Kubectl.Result st = kubectl.plugin("status", "demo", "-n", p.ns);
    assertEquals(4, st.exit(), "Paused is exit 4: " + st.out());
    Kubectl.Result get = kubectl.plugin("get", "rollout", "demo", "-n", p.ns, "--width", "100");
    assertEquals(0, get.exit(), get.out());
    assertTrue(
        get.out().contains("Steps:")
            && get.out().contains("->   2. pause (until resumed)")
            && get.out().contains("Weight:"),
        get.out());
    System.out.println(get.out());
    Kubectl.Result list = kubectl.plugin("list", "-A");
    assertTrue(
        list.out().contains("plugin-plugin") && list.out().contains("plugin-kubectl"), list.out());
    Kubectl.Result json = kubectl.plugin("get", "rollout", "demo", "-n", p.ns, "-o", "json");
    assertTrue(
        json.out().contains("\"kind\" : \"Rollout\"")
            || json.out().contains("\"kind\":\"Rollout\""),
        json.out());

    // undo: back to the stable template, which the controller treats as a fast rollback.
    both(k, p, "PromoteFull", new String[] {"promote", "--full"});
    await(p, s -> s.state() == RevisionState.Stable && s.canaryRevision() == null);
    String before = p.get().getStatus().stableRevision();
    Kubectl.Result undo = kubectl.plugin("undo", "demo", "-n", p.ns);
    assertEquals(0, undo.exit(), undo.out());
    RolloutStatus s =
        await(p, x -> x.canaryRevision() != null && !before.equals(x.canaryRevision()));
    System.out.println(
        "  kubectl slipway undo: " + undo.out().strip() + " -> canary " + s.canaryRevision());
    Kubectl.Result healthy =
        kubectl.plugin("status", "demo", "-n", k.ns, "--wait", "--timeout", "60s");
    assertEquals(0, healthy.exit(), healthy.out());

    // A request the controller refuses exits 1 with its reason; one it carries out says what it
    // did.
    Kubectl.Result refused = kubectl.plugin("retry", "demo", "-n", k.ns);
    System.out.println(
        "  kubectl slipway retry (nothing to retry): exit "
            + refused.exit()
            + ": "
            + refused.out().strip());
    assertEquals(1, refused.exit(), refused.out());
    assertTrue(
        refused.out().startsWith("error: Retry refused: only a rolled-back canary can be retried"),
        refused.out());
    Kubectl.Result version = kubectl.plugin("version");
    assertTrue(
        version.exit() == 0 && version.out().startsWith("Client Version: slipway "), version.out());

    // DORA and the SOC 2 change rows, from the records these canaries left, every one verified
    // first.
    Kubectl.Result dora = kubectl.plugin("dora", "-n", p.ns, "--since", "1d", "-o", "csv");
    assertEquals(0, dora.exit(), dora.out());
    System.out.println("  kubectl slipway dora -n " + p.ns + " -o csv:\n" + dora.out());
    String[] row =
        dora.out()
            .lines()
            .filter(l -> l.startsWith(p.ns + ",demo,"))
            .findFirst()
            .orElseThrow()
            .split(",");
    assertTrue(
        Integer.parseInt(row[2]) >= 2 && Integer.parseInt(row[6]) >= 1,
        "first deploy and a full promotion deployed, an abort failed: " + dora.out());
    Kubectl.Result soc2 =
        kubectl.plugin("evidence", "export", "demo", "-n", p.ns, "--format", "soc2");
    assertEquals(0, soc2.exit(), soc2.out());
    System.out.println("  kubectl slipway evidence export demo --format soc2:\n" + soc2.out());
    String me = Identity.of(cp.admin());
    assertTrue(
        soc2.out().lines().anyMatch(l -> l.contains(",RolledBack,"))
            && soc2.out().lines().anyMatch(l -> l.contains(me) && l.contains(",Stable,")),
        "a rolled-back change, and a promoted one approved by " + me + ": " + soc2.out());
  }
}
