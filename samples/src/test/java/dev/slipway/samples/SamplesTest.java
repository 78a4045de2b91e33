package dev.slipway.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.Release;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.analysis.MetricChecks;
import dev.slipway.controller.core.SpecCheck;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML sample parses, every Rollout in them passes the controller's own spec check, and every
 * AnalysisTemplate its metric checks. The Helm chart (templates, not YAML until rendered) and
 * kustomizations are InstallBundleTest's.
 */
class SamplesTest {
  static Stream<Path> yamls() throws IOException {
    try (Stream<Path> s = Files.walk(Path.of("."))) {
      return s
          .filter(
              p ->
                  p.toString().endsWith(".yaml")
                      && !p.toString().contains("/target/")
                      && !p.toString().contains("/install/helm/")
                      && !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("yamls")
  void sampleIsValid(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> docs =
        Stream.of(text.split("(?m)^---\\s*$"))
            .filter(d -> d.lines().anyMatch(l -> l.startsWith("kind:")))
            .toList();
    assertFalse(docs.isEmpty(), file + " holds no Kubernetes object");
    for (String doc : docs) {
      GenericKubernetesResource g = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      assertTrue(
          g.getApiVersion() != null && g.getKind() != null && g.getMetadata().getName() != null,
          file + ": " + doc);
      if (g.getKind().equals("Rollout")) {
        Rollout r = Serialization.unmarshal(doc, Rollout.class);
        assertNull(SpecCheck.problem(r.getSpec()), file + ": " + r.getMetadata().getName());
      }
      if (g.getKind().equals("Release")) {
        Release r = Serialization.unmarshal(doc, Release.class);
        assertTrue(
            r.getSpec().waves() != null && !r.getSpec().waves().isEmpty(),
            file + ": a Release without waves");
      }
      if (g.getKind().equals("AnalysisTemplate")) {
        AnalysisTemplate t = Serialization.unmarshal(doc, AnalysisTemplate.class);
        assertEquals(
            List.of(),
            MetricChecks.problems("spec", t.getSpec().metrics(), t.getSpec().prometheus()),
            file + ": " + t.getMetadata().getName());
      }
    }
  }
}
