package dev.slipway.controller.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The controller's packages, bottom to top. A package may use its own layer's and lower layers'
 * packages, never a higher one: the pure core knows nothing of Kubernetes I/O, the leaf {@code
 * kube} package is what every layer shares about the cluster (labels, field owners, reads), and
 * only the application wiring ({@code k8s}) sees everything. The plugin ({@code cli}) lives in its
 * own module and uses only the layers below reconcile.
 */
class LayersTest {
  static final String ROOT = "dev.slipway.controller";

  /** Bottom first; packages in one row are peers and may not use each other either. */
  static final List<List<String>> LAYERS =
      List.of(
          List.of("core"),
          List.of("kube"),
          List.of("analysis", "audit", "metrics"),
          List.of("evidence"),
          List.of("traffic", "notify", "dora", "supply", "dashboard"),
          List.of("reconcile"),
          List.of("fleet"),
          List.of("k8s"),
          List.of("cli"));

  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // Other modules' test-jars (slipway-shared's MockCluster) are tests too.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages(ROOT);

  @Test
  void everyPackageIsInALayer() {
    List<String> unplaced =
        MAIN.stream()
            .map(c -> c.getPackageName())
            .filter(p -> !p.equals(ROOT))
            .map(p -> p.substring(ROOT.length() + 1).split("\\.")[0])
            .distinct()
            .filter(p -> LAYERS.stream().noneMatch(l -> l.contains(p)))
            .toList();
    assertTrue(unplaced.isEmpty(), "packages in no layer (add them to LAYERS): " + unplaced);
  }

  @Test
  void layersPointOnlyDown() {
    List<String> violations = layersPointOnlyDown(MAIN);
    assertTrue(violations.isEmpty(), String.join("\n", violations));
  }

  @Test
  void noPackageCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
  }

  /** The rule fails on an upward import: a planted class standing in for traffic uses reconcile. */
  @Test
  void aPlantedUpwardImportFails() {
    JavaClasses withPlant =
        new ClassFileImporter().importPackages(ROOT + ".architecture.planted", ROOT + ".reconcile");
    List<String> violations = layersPointOnlyDown(withPlant);
    assertEquals(1, violations.size(), "the planted upward import, and only it: " + violations);
    assertTrue(
        violations.get(0).contains("UpwardImport")
            && violations.get(0).contains("traffic sits below"),
        violations.get(0));
  }

  /** One failure report per package that uses a package at or above its own layer. */
  static List<String> layersPointOnlyDown(JavaClasses classes) {
    List<String> violations = new ArrayList<>();
    for (int i = 0; i < LAYERS.size(); i++) {
      for (String pkg : LAYERS.get(i)) {
        List<String> forbidden = new ArrayList<>();
        for (int j = i; j < LAYERS.size(); j++) {
          for (String other : LAYERS.get(j)) {
            if (!other.equals(pkg)) {
              forbidden.add(ROOT + "." + other + "..");
            }
          }
        }
        ArchRule rule =
            noClasses()
                .that()
                .resideInAPackage(packageOf(pkg, classes))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .because(
                    pkg
                        + " sits below "
                        + forbidden.stream()
                            .map(f -> f.substring(ROOT.length() + 1, f.length() - 2))
                            .collect(Collectors.joining(", ")))
                .allowEmptyShould(true);
        EvaluationResult r = rule.evaluate(classes);
        if (r.hasViolation()) {
          violations.add(r.getFailureReport().toString());
        }
      }
    }
    return violations;
  }

  /** The planted class stands in for the traffic package. */
  static String packageOf(String pkg, JavaClasses classes) {
    return pkg.equals("traffic") && classes.containPackage(ROOT + ".architecture.planted")
        ? ROOT + ".architecture.planted.."
        : ROOT + "." + pkg + "..";
  }
}
