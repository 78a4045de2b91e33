package dev.slipway.e2e.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.prometheus.PrometheusServer;
import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the Grafana dashboard the chart ships: the alerts pass promtool's unit tests (each
 * fires on the series that should fire it, not on quiet ones), the chart wraps exactly those groups
 * and that dashboard, and every dashboard query is valid PromQL to a real Prometheus.
 */
@Order(8)
class MonitoringBundleTest {
  static final Path FILES = Helm.CHART.resolve("files");

  static Kubectl.Result promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PrometheusServer.PROMTOOL));
    cmd.addAll(List.of(args));
    Proc.Result r = Proc.of(cmd).dir(FILES).timeout(TestTime.of(Duration.ofSeconds(60))).run();
    assertTrue(!r.timedOut(), r.describe());
    return new Kubectl.Result(r.exit(), r.out());
  }

  @Test
  void alertsPassPromtoolsUnitTests() throws Exception {
    PrometheusServer.requireInstalled();
    Kubectl.Result check = promtool("check", "rules", "alerts.yaml");
    Kubectl.Result test = promtool("test", "rules", "alerts.test.yaml");
    System.out.println(
        "promtool check rules: "
            + check.out().strip().replace('\n', ' ')
            + "\npromtool test rules: "
            + test.out().strip().replace('\n', ' '));
    assertEquals(0, check.exit(), check.out());
    assertEquals(0, test.exit(), test.out());
  }

  @Test
  @SuppressWarnings("unchecked")
  void theChartShipsExactlyTheseAlertsAndThisDashboard() throws Exception {
    Kubectl.Result r =
        new Helm(null)
            .run(
                "template",
                "slipway",
                Helm.CHART.toString(),
                "-n",
                "slipway-system",
                "--set",
                "metrics.prometheusRule.enabled=true",
                "--set",
                "metrics.grafanaDashboard.enabled=true");
    assertEquals(0, r.exit(), r.out());
    Map<String, Object> file =
        Serialization.unmarshal(Files.readString(FILES.resolve("alerts.yaml")), Map.class);
    GenericKubernetesResource rule = null;
    GenericKubernetesResource dashboard = null;
    for (String doc : r.out().split("(?m)^---\\s*$")) {
      if (!doc.contains("kind:")) continue;
      GenericKubernetesResource g = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      if (g.getKind().equals("PrometheusRule")) rule = g;
      if (g.getKind().equals("ConfigMap") && g.getMetadata().getName().endsWith("-dashboard"))
        dashboard = g;
    }
    assertEquals(
        file.get("groups"),
        ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups"));
    Map<String, Object> data =
        (Map<String, Object>) dashboard.getAdditionalProperties().get("data");
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        json.readTree(FILES.resolve("dashboard.json").toFile()),
        json.readTree((String) data.get("slipway.json")));
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    Kubectl.Result off =
        new Helm(null).run("template", "slipway", Helm.CHART.toString(), "-n", "slipway-system");
    assertFalse(
        off.out().contains("kind: PrometheusRule") || off.out().contains("slipway.json"),
        "off by default");
  }

  @Test
  void everyDashboardQueryIsValidPromQl() throws Exception {
    PrometheusServer.requireInstalled();
    JsonNode dash = new ObjectMapper().readTree(FILES.resolve("dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    dash.path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    exprs.add(
        dash.path("templating")
            .path("list")
            .get(1)
            .path("query")
            .asText()
            .replace(
                "label_values(slipway_rollout_phase, namespace)",
                "count by (namespace) (slipway_rollout_phase)"));
    HttpClient http = HttpClient.newHttpClient();
    try (PrometheusServer p = PrometheusServer.empty("")) {
      for (String e : exprs) {
        // What Grafana substitutes before it asks.
        String q = e.replace("$__rate_interval", "5m").replace("$namespace", ".*");
        HttpResponse<String> resp =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            p.address()
                                + "/api/v1/query?query="
                                + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), q + ": " + resp.body());
      }
    }
    System.out.println(
        "dashboard: "
            + dash.path("panels").size()
            + " panels, "
            + exprs.size()
            + " queries, all valid PromQL to Prometheus "
            + "(Debian's)");
  }
}
