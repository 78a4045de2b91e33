package dev.slipway.e2e.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The chart's knobs as platform engineers set them (compare argo-helm's argo-rollouts chart), each
 * rendered by real helm, and values.schema.json refusing wrong types and unknown keys with the
 * path. No cluster: helm template only.
 */
@Order(8)
class ChartValuesTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String KNOBS =
      """
      image: {digest: "%s"}
      nameOverride: delivery
      namespaceOverride: platform
      serviceAccount:
        name: slipway-sa
        annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/slipway"}
      replicas: 1
      logLevel: DEBUG
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
      extraVolumes: [{name: private-ca, configMap: {name: private-ca}}]
      extraVolumeMounts: [{name: private-ca, mountPath: /etc/ssl/private-ca, readOnly: true}]
      extraContainers: [{name: proxy, image: "example/proxy:1"}]
      probes: {readiness: {periodSeconds: 7}}
      metrics:
        serviceMonitor:
          enabled: true
          namespace: monitoring
          relabelings: [{action: replace, targetLabel: cluster, replacement: prod}]
      extraObjects:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: "{{ .Release.Name }}-extra", namespace: platform}
        data: {a: b}
      """
          .formatted(DIGEST);

  final Helm helm = new Helm(null);

  List<GenericKubernetesResource> render(String values, String... set) throws IOException {
    Path f = Files.createTempFile("values", ".yaml");
    Files.writeString(f, values);
    List<String> args =
        new ArrayList<>(
            List.of(
                "template",
                "slipway",
                Helm.CHART.toString(),
                "-n",
                "slipway-system",
                "-f",
                f.toString()));
    for (String s : set) {
      args.add("--set");
      args.add(s);
    }
    Kubectl.Result r = helm.run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out());
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (String doc : r.out().split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) continue;
      out.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
    }
    return out;
  }

  static <T> T one(List<GenericKubernetesResource> objects, String kind, Class<T> type) {
    List<GenericKubernetesResource> of =
        objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    assertEquals(1, of.size(), kind + ": " + of);
    return Serialization.jsonMapper().convertValue(of.get(0), type);
  }

  @Test
  void everyKnobRendersWhereUsersExpectIt() throws IOException {
    List<GenericKubernetesResource> objects = render(KNOBS);
    Deployment d = one(objects, "Deployment", Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec();
    var controller = pod.getContainers().get(0);
    assertEquals("slipway-delivery", d.getMetadata().getName());
    assertEquals("delivery", d.getMetadata().getLabels().get("app.kubernetes.io/name"));
    assertEquals("ghcr.io/slipway-dev/slipway-controller@" + DIGEST, controller.getImage());
    assertEquals("slipway-sa", pod.getServiceAccountName());
    assertTrue(
        controller.getEnv().stream()
            .anyMatch(
                e -> e.getName().equals("SLIPWAY_LOG_LEVEL") && e.getValue().equals("DEBUG")));
    assertEquals(1, pod.getTopologySpreadConstraints().size());
    assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("private-ca")));
    assertTrue(
        controller.getVolumeMounts().stream()
            .anyMatch(m -> m.getMountPath().equals("/etc/ssl/private-ca")));
    assertEquals(
        List.of("controller", "proxy"),
        pod.getContainers().stream().map(c -> c.getName()).toList());
    assertEquals(7, controller.getReadinessProbe().getPeriodSeconds());
    assertEquals(
        "/health/readiness",
        controller.getReadinessProbe().getHttpGet().getPath(),
        "an override keeps the fields it does not name");

    ServiceAccount sa = one(objects, "ServiceAccount", ServiceAccount.class);
    assertEquals("slipway-sa", sa.getMetadata().getName());
    assertTrue(sa.getMetadata().getAnnotations().containsKey("eks.amazonaws.com/role-arn"));
    GenericKubernetesResource binding =
        objects.stream()
            .filter(o -> o.getKind().equals("ClusterRoleBinding"))
            .filter(o -> o.getMetadata().getName().equals("slipway-delivery"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of(Map.of("kind", "ServiceAccount", "name", "slipway-sa", "namespace", "platform")),
        binding.getAdditionalProperties().get("subjects"));

    assertTrue(
        objects.stream().noneMatch(o -> o.getKind().equals("PodDisruptionBudget")),
        "one replica: no budget that would block every drain");
    GenericKubernetesResource monitor =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    assertEquals("monitoring", monitor.getMetadata().getNamespace());
    String spec = Serialization.asJson(monitor.getAdditionalProperties().get("spec"));
    assertTrue(spec.contains("\"targetLabel\":\"cluster\""), spec);
    assertTrue(spec.contains("\"matchNames\":[\"platform\"]"), spec);
    assertTrue(
        objects.stream()
            .anyMatch(
                o ->
                    o.getKind().equals("ConfigMap")
                        && o.getMetadata().getName().equals("slipway-extra")),
        "extraObjects are rendered through tpl");
    for (GenericKubernetesResource o : objects) {
      String ns = o.getMetadata().getNamespace();
      if (ns != null && !o.getKind().equals("ServiceMonitor"))
        assertEquals("platform", ns, o.getKind() + " " + o.getMetadata().getName());
    }
    System.out.printf(
        "chart knobs: %d objects rendered with %d knobs set; image by digest, workload identity, a private CA, a sidecar%n",
        objects.size(),
        KNOBS.lines().filter(l -> !l.startsWith(" ") && !l.startsWith("-")).count());
  }

  @Test
  void aDisruptionBudgetOnlyWithReplicasToSpareAndMaxUnavailableWhenAsked() throws IOException {
    PodDisruptionBudget pdb =
        one(
            render("replicas: 3\npodDisruptionBudget: {maxUnavailable: 1}\n"),
            "PodDisruptionBudget",
            PodDisruptionBudget.class);
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
    assertEquals(null, pdb.getSpec().getMinAvailable());
    PodDisruptionBudget byDefault =
        one(render(""), "PodDisruptionBudget", PodDisruptionBudget.class);
    assertEquals(1, byDefault.getSpec().getMinAvailable().getIntVal());
  }

  @Test
  void anExistingServiceAccountIsUsedAndNotCreated() throws IOException {
    List<GenericKubernetesResource> objects =
        render("serviceAccount: {create: false, name: platform-robot}\n");
    assertFalse(objects.stream().anyMatch(o -> o.getKind().equals("ServiceAccount")));
    assertEquals(
        "platform-robot",
        one(objects, "Deployment", Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getServiceAccountName());
    Kubectl.Result missing =
        helm.run("template", "x", Helm.CHART.toString(), "--set", "serviceAccount.create=false");
    assertNotEquals(0, missing.exit());
    assertTrue(missing.out().contains("serviceAccount.name: set it"), missing.out());
  }

  @Test
  void theValuesSchemaRefusesWrongTypesAndUnknownKeysByPath() {
    record Bad(String set, String says) {}
    for (Bad b :
        List.of(
            new Bad("replicas=two", "at '/replicas': got string, want integer"),
            new Bad("replica=2", "additional properties 'replica' not allowed"),
            new Bad("image.digest=latest", "at '/image/digest'"),
            new Bad("logLevel=LOUD", "at '/logLevel'"),
            new Bad("serviceAccount.annotations=x", "at '/serviceAccount/annotations'"),
            new Bad("leaderElection.leaseDuration=soon", "at '/leaderElection/leaseDuration'"),
            new Bad("dashboard.port=web", "at '/dashboard/port': got string, want integer"),
            new Bad("dashboard.allowedHosts={http://x}", "at '/dashboard/allowedHosts/0'"),
            new Bad("imagePolicies[0].name=x", "at '/imagePolicies/0'"))) {
      Kubectl.Result r = helm.run("template", "x", Helm.CHART.toString(), "--set", b.set());
      assertNotEquals(0, r.exit(), b.set());
      assertTrue(r.out().contains(b.says()), b.set() + ": " + r.out());
    }
    Kubectl.Result lint =
        helm.run("lint", "--strict", Helm.CHART.toString(), "--set", "replicas=two");
    assertNotEquals(0, lint.exit(), "helm lint checks the schema too: " + lint.out());
  }

  /**
   * The dashboard: nothing unless enabled; then the controller's image run as `dashboard`, probed
   * on /healthz, behind a ClusterIP Service, reading as a ServiceAccount that may only get and list
   * Rollouts and RolloutRecords (cluster-wide, or a Role in the one namespace it shows).
   */
  @Test
  void theDashboardIsOffByDefaultAndReadOnlyWhenOn() throws IOException {
    assertTrue(
        render("").stream().noneMatch(o -> o.getMetadata().getName().equals("slipway-dashboard")),
        "off by default");
    List<GenericKubernetesResource> on =
        render(
            "dashboard: {enabled: true, allowedHosts: [slipway.example.com]}\nimage: {digest: \"%s\"}\n"
                .formatted(DIGEST));
    List<GenericKubernetesResource> dash =
        on.stream().filter(o -> o.getMetadata().getName().equals("slipway-dashboard")).toList();
    assertEquals(
        List.of("ClusterRole", "ClusterRoleBinding", "Deployment", "Service", "ServiceAccount"),
        dash.stream().map(GenericKubernetesResource::getKind).sorted().toList());
    Deployment d = one(dash, "Deployment", Deployment.class);
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("ghcr.io/slipway-dev/slipway-controller@" + DIGEST, c.getImage());
    assertEquals(
        List.of("dashboard", "--port", "3100", "--allow-host", "slipway.example.com"), c.getArgs());
    assertEquals("/healthz", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("slipway-dashboard", d.getSpec().getTemplate().getSpec().getServiceAccountName());
    ClusterRole role = one(dash, "ClusterRole", ClusterRole.class);
    assertEquals(1, role.getRules().size());
    assertEquals(List.of("get", "list"), role.getRules().get(0).getVerbs());
    assertEquals(List.of("rollouts", "rolloutrecords"), role.getRules().get(0).getResources());

    List<GenericKubernetesResource> scoped =
        render("dashboard: {enabled: true, namespace: shop}\n").stream()
            .filter(o -> o.getMetadata().getName().equals("slipway-dashboard"))
            .toList();
    assertEquals(
        List.of("Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"),
        scoped.stream().map(GenericKubernetesResource::getKind).sorted().toList());
    assertEquals("shop", one(scoped, "Role", Role.class).getMetadata().getNamespace());
    assertEquals(
        "shop", one(scoped, "RoleBinding", RoleBinding.class).getMetadata().getNamespace());
    assertTrue(
        one(scoped, "Deployment", Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs()
            .containsAll(List.of("--namespace", "shop")));
  }

  /** imagePolicies: nothing by default; the platform's list as ConfigMap slipway-image-policies. */
  @Test
  void imagePoliciesRenderTheConfigMapTheControllerReads() throws IOException {
    assertTrue(
        render("").stream()
            .noneMatch(o -> o.getMetadata().getName().equals("slipway-image-policies")));
    List<GenericKubernetesResource> on =
        render(
            """
            imagePolicies:
            - name: signed-in-prod
              namespaces: [payments]
              publicKeys: ["-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n"]
              attestations: [cyclonedx]
            """);
    GenericKubernetesResource cm =
        on.stream()
            .filter(o -> o.getMetadata().getName().equals("slipway-image-policies"))
            .findFirst()
            .orElseThrow();
    assertEquals("slipway-system", cm.getMetadata().getNamespace());
    String yaml =
        String.valueOf(((Map<?, ?>) cm.getAdditionalProperties().get("data")).get("policies.yaml"));
    assertTrue(yaml.contains("name: signed-in-prod") && yaml.contains("- payments"), yaml);
  }
}
