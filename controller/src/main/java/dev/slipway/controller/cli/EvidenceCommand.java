package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.ExportDocument;
import dev.slipway.controller.evidence.ExportReader;
import dev.slipway.controller.evidence.Exports;
import dev.slipway.controller.evidence.KeySecret;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.evidence.Verification;
import dev.slipway.controller.evidence.Verifier;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Export and verify evidence. Reading goes through the Kubernetes API, so RBAC decides who may. */
@Command(name = "evidence", description = "Export and verify a Rollout's evidence records.",
    subcommands = {EvidenceCommand.Export.class, EvidenceCommand.Verify.class, EvidenceCommand.PublicKeyCmd.class})
public final class EvidenceCommand {

  @Command(name = "export", description = "Export the evidence of one revision attempt.")
  static final class Export implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Rollout.") String rollout;

    @Option(names = "--revision", description = "Pod-template hash (default: the canary, else the stable revision).")
    String revision;

    @Option(names = "--attempt", description = "Attempt number (default: the latest).")
    Integer attempt;

    @Option(names = "--format", defaultValue = "json", description = "json, jsonl, csv or intoto (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-f", "--file"}, description = "Write here instead of standard output.")
    Path file;

    @Option(names = "--controller-namespace", defaultValue = "slipway-system", description = "Where the public key is published.")
    String controllerNamespace;

    @Override
    public Integer call() throws Exception {
      if (!Exports.formats().contains(format)) {
        throw new IllegalArgumentException("--format must be one of " + Exports.formats() + ", not " + format);
      }
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        String rev = revision != null ? revision : currentRevision(client, ns);
        RecordStore store = RecordStore.reader(client);
        int att = attempt != null ? attempt : store.latestAttempt(ns, rollout, rev)
            .orElseThrow(() -> new IllegalArgumentException("no evidence records for " + ns + "/" + rollout + " revision " + rev));
        List<RolloutRecord> parts = store.parts(ns, rollout, rev, att);
        List<RecordEntry> entries = parts.stream().flatMap(p -> p.getSpec().entriesOrEmpty().stream()).toList();
        if (entries.isEmpty()) {
          throw new IllegalArgumentException("no evidence for " + ns + "/" + rollout + " revision " + rev + " attempt " + att);
        }
        String keyId = parts.get(0).getSpec().keyId();
        String pem = publicKey(client, controllerNamespace);
        ExportDocument doc = ExportDocument.of(rollout, ns, rev, att, keyId, pem, entries);
        String out = switch (format) {
          case "jsonl" -> Exports.jsonl(doc);
          case "csv" -> Exports.csv(doc);
          case "intoto" -> Exports.intoto(doc);
          default -> Exports.json(doc);
        };
        if (file != null) {
          Files.writeString(file, out);
          spec.commandLine().getErr().println("wrote " + entries.size() + " entries of " + rollout + " " + rev + " attempt " + att + " to " + file);
        } else {
          PrintWriter w = spec.commandLine().getOut();
          w.print(out);
          w.flush();
        }
        return 0;
      }
    }

    /** The canary in flight, else the stable revision. */
    private String currentRevision(KubernetesClient client, String ns) {
      Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(rollout).get();
      if (r == null || r.getStatus() == null) {
        throw new IllegalArgumentException("rollout " + ns + "/" + rollout + " not found; give --revision to export a deleted Rollout's records");
      }
      return r.getStatus().canaryRevision() != null ? r.getStatus().canaryRevision() : r.getStatus().stableRevision();
    }
  }

  static String publicKey(KubernetesClient client, String namespace) {
    try {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(KeySecret.PUBLIC_CONFIGMAP).get();
      return cm == null || cm.getData() == null ? null : cm.getData().get("public.pem");
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  @Command(name = "verify", description = "Recompute the hash chain and check every signature. Exits 1 and names the first bad entry.")
  static final class Verify implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    /** Accepted like everywhere else, though verifying reads only the file. */
    @Mixin KubeOptions kube;

    @Parameters(index = "0", description = "An export in json, jsonl or intoto format.") Path file;

    @Option(names = "--public-key", description = "The Ed25519 public key (PEM or base64 file) to trust. Without it, the key embedded in the export is used, which proves integrity but not origin.")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
      String text = Files.readString(file);
      ExportReader.Read read = ExportReader.read(text);
      PublicKey key;
      if (publicKey != null) {
        key = EvidenceKeys.publicKey(Files.readString(publicKey));
      } else if (read.publicKey() != null) {
        key = EvidenceKeys.publicKey(read.publicKey());
        spec.commandLine().getErr().println("warning: verifying against the key embedded in the file; pass --public-key to check who signed it");
      } else {
        spec.commandLine().getErr().println("error: this export carries no public key; pass --public-key (kubectl slipway evidence public-key)");
        return 2;
      }
      Verifier.Result r = Verification.verify(text, key);
      if (r.ok()) {
        spec.commandLine().getOut().println("OK: " + r.message() + " (key " + EvidenceKeys.keyId(key) + ")");
        return 0;
      }
      spec.commandLine().getOut().println("FAILED: " + r.message());
      return 1;
    }
  }

  @Command(name = "public-key", description = "Print the public key that verifies this cluster's evidence (PEM).")
  static final class PublicKeyCmd implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--controller-namespace", defaultValue = "slipway-system") String controllerNamespace;

    @Override
    public Integer call() {
      try (KubernetesClient client = kube.client()) {
        String pem = publicKey(client, controllerNamespace);
        if (pem == null) {
          spec.commandLine().getErr().println("error: no ConfigMap " + controllerNamespace + "/" + KeySecret.PUBLIC_CONFIGMAP + " (or no right to read it)");
          return 1;
        }
        spec.commandLine().getOut().print(pem);
        spec.commandLine().getOut().flush();
        return 0;
      }
    }
  }
}
