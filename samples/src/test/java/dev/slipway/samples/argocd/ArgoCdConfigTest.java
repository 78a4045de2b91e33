package dev.slipway.samples.argocd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * samples/argocd/argocd-cm.yaml carries exactly the Lua files beside it. Regenerate after editing a
 * script: mvn -pl samples test -Dtest=ArgoCdConfigTest -Dslipway.updateArgoCm=true
 */
class ArgoCdConfigTest {
  static final Path DIR = Path.of("argocd");
  static final List<String> ACTIONS =
      List.of("pause", "resume", "promote", "promote-full", "abort", "retry", "restart");

  static String expected() throws Exception {
    StringBuilder b =
        new StringBuilder(
            """
        # Generated from samples/argocd/*.lua by ArgoCdConfigTest; do not edit by hand.
        # Merge into Argo CD's argocd-cm (kubectl -n argocd patch configmap argocd-cm --patch-file this-file),
        # or paste the two keys into your own argocd-cm.
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-cm
          namespace: argocd
          labels:
            app.kubernetes.io/part-of: argocd
        data:
          resource.customizations.health.slipway.dev_Rollout: |
        """);
    b.append(indent(Files.readString(DIR.resolve("health.lua")), 4));
    b.append("  resource.customizations.actions.slipway.dev_Rollout: |\n");
    b.append("    discovery.lua: |\n");
    b.append(indent(Files.readString(DIR.resolve("actions/discovery.lua")), 6));
    b.append("    definitions:\n");
    for (String a : ACTIONS) {
      b.append("    - name: ").append(a).append('\n');
      b.append("      action.lua: |\n");
      b.append(indent(Files.readString(DIR.resolve("actions/" + a + "/action.lua")), 8));
    }
    return b.toString();
  }

  static String indent(String text, int n) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) continue;
      b.append(" ".repeat(n)).append(line).append('\n');
    }
    return b.toString();
  }

  @Test
  void argocdCmCarriesTheScripts() throws Exception {
    Path cm = DIR.resolve("argocd-cm.yaml");
    String want = expected();
    if (System.getProperty("slipway.updateArgoCm") != null) {
      Files.writeString(cm, want);
    }
    assertTrue(Files.exists(cm), "run with -Dslipway.updateArgoCm=true");
    assertEquals(
        want, Files.readString(cm), "argocd-cm.yaml drifted from the Lua scripts; regenerate it");
  }
}
