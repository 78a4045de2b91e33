package dev.slipway.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The version lives in the root pom's revision alone; Helm cannot read it, so the chart's copy is
 * held to it here (and the plain manifests, rendered from the chart, to the chart by
 * InstallBundleTest).
 */
class ChartVersionTest {
  @Test
  void theChartNamesTheRootPomsVersion() throws IOException {
    String revision = System.getProperty("slipway.revision");
    assertNotNull(revision, "surefire passes slipway.revision from the root pom");
    Map<String, Object> chart;
    try (InputStream in = Files.newInputStream(Path.of("install/helm/slipway/Chart.yaml"))) {
      chart = new Yaml().load(in);
    }
    assertEquals(
        revision,
        String.valueOf(chart.get("version")),
        "Chart.yaml version: set it to the root pom's revision");
    assertEquals(
        revision,
        String.valueOf(chart.get("appVersion")),
        "Chart.yaml appVersion: set it to the root pom's revision");
  }
}
