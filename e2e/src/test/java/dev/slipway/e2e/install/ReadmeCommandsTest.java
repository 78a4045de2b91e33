package dev.slipway.e2e.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.tools.Readme;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The README's first screen, read without a cluster: the commands InstallE2ETest runs are there,
 * name files the checkout has, and name the version the pom makes. (InstallE2ETest runs them.)
 */
@Order(8)
class ReadmeCommandsTest {
  @Test
  void theFirstScreenHasTheCommandsTheInstallTestRuns() throws Exception {
    List<String> install = Readme.commands(FirstScreen.INSTALL);
    List<String> canary = Readme.commands(FirstScreen.FIRST_CANARY);
    System.out.println("README install: " + install + "\nREADME first canary: " + canary);
    assertEquals(
        List.of(".ci/release.sh", "cosign", "helm", "kubectl"),
        install.stream().map(c -> c.split(" ")[0]).toList());
    assertEquals(4, canary.size());
    assertTrue(canary.stream().allMatch(c -> c.startsWith("kubectl ")), canary.toString());
    String pom = Files.readString(Crds.repoRoot().resolve("pom.xml"));
    String version =
        pom.replaceAll("(?s).*?<revision>(.*?)</revision>.*", "$1")
            + pom.replaceAll("(?s).*?<changelist>(.*?)</changelist>.*", "$1");
    for (String c : install.subList(1, 4)) {
      assertTrue(c.contains(version), "names the pom's version " + version + ": " + c);
    }
    for (String file : List.of(".ci/release.sh", "samples/rollouts/demo.yaml")) {
      assertTrue(Files.exists(Crds.repoRoot().resolve(file)), file);
    }
    assertTrue(
        Readme.local(install.get(0), Map.of("REGISTRY", "127.0.0.1:5000"), "--plain-http")
            .startsWith(".ci/release.sh --registry 127.0.0.1:5000/slipway "));
  }
}
