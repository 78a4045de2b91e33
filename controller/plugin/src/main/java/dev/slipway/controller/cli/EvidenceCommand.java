package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.DsseEnvelope;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.controller.audit.Change;
import dev.slipway.controller.evidence.Attestations;
import dev.slipway.controller.evidence.DecisionVerifier;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.ExportDocument;
import dev.slipway.controller.evidence.ExportReader;
import dev.slipway.controller.evidence.Exports;
import dev.slipway.controller.evidence.FleetLinks;
import dev.slipway.controller.evidence.KeySecret;
import dev.slipway.controller.evidence.LedgerVerifier;
import dev.slipway.controller.evidence.LineVerifier;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.evidence.Verification;
import dev.slipway.controller.evidence.VerifiedAttempts;
import dev.slipway.controller.evidence.Verifier;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Export and verify evidence. Reading goes through the Kubernetes API, so RBAC decides who may. */
@Command(
    name = "evidence",
    description = "Export and verify a Rollout's evidence records.",
    subcommands = {
      EvidenceCommand.Export.class,
      EvidenceCommand.Verify.class,
      EvidenceCommand.PublicKeyCmd.class
    })
public final class EvidenceCommand {

  @Command(name = "export", description = "Export the evidence of one revision attempt.")
  static final class Export implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
        index = "0",
        arity = "0..1",
        description = "The Rollout (with --format soc2, optional: every Rollout of the namespace).")
    String rollout;

    @Option(
        names = "--revision",
        description = "Pod-template hash (default: the canary, else the stable revision).")
    String revision;

    @Option(names = "--attempt", description = "Attempt number (default: the latest).")
    Integer attempt;

    @Option(
        names = "--format",
        defaultValue = "json",
        description =
            "json, jsonl, csv, intoto, or soc2: one CSV row per change "
                + "(every verified attempt): what, author, approvers, analysis, when, outcome (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = "--public-key",
        description =
            "With soc2: the Ed25519 public key to trust (default: the one the cluster publishes).")
    Path publicKeyFile;

    @Option(
        names = {"-f", "--file"},
        description = "Write here instead of standard output.")
    Path file;

    @Option(
        names = "--controller-namespace",
        defaultValue = "slipway-system",
        description = "Where the public key is published.")
    String controllerNamespace;

    @Override
    public Integer call() throws Exception {
      if (format.equals("soc2")) {
        return soc2();
      }
      if (!Exports.formats().contains(format)) {
        throw new IllegalArgumentException(
            "--format must be one of " + Exports.formats() + " or soc2, not " + format);
      }
      if (rollout == null) {
        throw new IllegalArgumentException("name the Rollout whose evidence to export");
      }
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        String rev = revision != null ? revision : currentRevision(client, ns);
        RecordStore store = RecordStore.reader(client);
        int att =
            attempt != null
                ? attempt
                : store
                    .latestAttempt(ns, rollout, rev)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "no evidence records for "
                                    + ns
                                    + "/"
                                    + rollout
                                    + " revision "
                                    + rev));
        List<RolloutRecord> parts = store.parts(ns, rollout, rev, att);
        List<RecordEntry> entries =
            parts.stream().flatMap(p -> p.getSpec().entriesOrEmpty().stream()).toList();
        if (entries.isEmpty()) {
          throw new IllegalArgumentException(
              "no evidence for " + ns + "/" + rollout + " revision " + rev + " attempt " + att);
        }
        String keyId = parts.get(0).getSpec().keyId();
        String pem = publicKey(client, controllerNamespace);
        ExportDocument doc = ExportDocument.of(rollout, ns, rev, att, keyId, pem, entries);
        String out =
            switch (format) {
              case "jsonl" -> Exports.jsonl(doc);
              case "csv" -> Exports.csv(doc);
              case "intoto" -> Exports.dsse(parts.get(parts.size() - 1).getSpec().attestation());
              default -> Exports.json(doc);
            };
        if (file != null) {
          Files.writeString(file, out);
          spec.commandLine()
              .getErr()
              .println(
                  "wrote "
                      + entries.size()
                      + " entries of "
                      + rollout
                      + " "
                      + rev
                      + " attempt "
                      + att
                      + " to "
                      + file);
        } else {
          PrintWriter w = spec.commandLine().getOut();
          w.print(out);
          w.flush();
        }
        return 0;
      }
    }

    /**
     * Every verified attempt of the Rollout (or the namespace) as a change row; attempts that do
     * not verify are named, not listed.
     */
    private int soc2() throws Exception {
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        PublicKey key =
            trustedKey(
                client, publicKeyFile, controllerNamespace, spec.commandLine().getErr(), false);
        if (key == null) {
          return 2;
        }
        List<RolloutRecord> records =
            client.resources(RolloutRecord.class).inNamespace(ns).list().getItems().stream()
                .filter(r -> rollout == null || rollout.equals(r.getSpec().rollout()))
                .toList();
        VerifiedAttempts.Read read = VerifiedAttempts.read(records, key);
        read.excluded()
            .forEach(
                x ->
                    spec.commandLine()
                        .getErr()
                        .println("warning: left out, does not verify: " + x));
        StringBuilder b = new StringBuilder(Change.CSV_HEADER).append('\n');
        read.attempts().stream()
            .map(a -> Change.of(a.namespace(), a.rollout(), a.revision(), a.attempt(), a.entries()))
            .sorted(Comparator.comparing((Change c) -> c.opened() == null ? "" : c.opened()))
            .forEach(c -> b.append(c.csv()).append('\n'));
        if (file != null) {
          Files.writeString(file, b.toString());
          spec.commandLine()
              .getErr()
              .println("wrote " + read.attempts().size() + " changes to " + file);
        } else {
          spec.commandLine().getOut().print(b);
          spec.commandLine().getOut().flush();
        }
        return read.excluded().isEmpty() ? 0 : 1;
      }
    }

    /** The canary in flight, else the stable revision. */
    private String currentRevision(KubernetesClient client, String ns) {
      Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(rollout).get();
      if (r == null || r.getStatus() == null) {
        throw new IllegalArgumentException(
            "rollout "
                + ns
                + "/"
                + rollout
                + " not found; give --revision to export a deleted Rollout's records");
      }
      return r.getStatus().canaryRevision() != null
          ? r.getStatus().canaryRevision()
          : r.getStatus().stableRevision();
    }
  }

  /**
   * The key to trust: the file given, else the one the cluster publishes (saying so when {@code
   * warnPublished}, since that proves integrity but not origin); null after saying why not.
   */
  static PublicKey trustedKey(
      KubernetesClient client,
      Path file,
      String controllerNamespace,
      PrintWriter err,
      boolean warnPublished)
      throws IOException {
    if (file != null) {
      return EvidenceKeys.publicKey(Files.readString(file));
    }
    String pem = publicKey(client, controllerNamespace);
    if (pem == null) {
      err.println(
          "error: no published public key in " + controllerNamespace + "; pass --public-key");
      return null;
    }
    if (warnPublished) {
      err.println(
          "warning: verifying against the key the cluster publishes; pass --public-key to check who signed it");
    }
    return EvidenceKeys.publicKey(pem);
  }

  static String publicKey(KubernetesClient client, String namespace) {
    try {
      ConfigMap cm =
          client.configMaps().inNamespace(namespace).withName(KeySecret.PUBLIC_CONFIGMAP).get();
      return cm == null || cm.getData() == null ? null : cm.getData().get("public.pem");
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  @Command(
      name = "verify",
      description =
          "Recompute the hash chain and check every signature. Exits 1 and names the first bad entry.")
  static final class Verify implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KubeOptions kube;

    @Parameters(
        index = "0",
        arity = "0..1",
        description = "An export in json, jsonl or intoto (DSSE) format.")
    Path file;

    @Option(
        names = "--rollout",
        description =
            "Verify every record of this Rollout in the cluster together: each chain, the links "
                + "between attempts, and the newest head against the Rollout's status (a deleted or shortened record is named).")
    String rollout;

    @Option(
        names = "--entries",
        description =
            "With an intoto (DSSE) file: the JSONL export whose last entry its subject must be.")
    Path entries;

    @Option(
        names = "--public-key",
        description =
            "The Ed25519 public key (PEM or base64 file) to trust. Without it, the key embedded in the export is used (or, with --rollout, the cluster's published key), which proves integrity but not origin.")
    Path publicKey;

    @Option(
        names = "--controller-namespace",
        defaultValue = "slipway-system",
        description = "Where the public key is published.")
    String controllerNamespace;

    @Option(
        names = "--member",
        paramLabel = "CLUSTER=FILE",
        description =
            "With a fleet release's hub export (kubectl slipway release export): a member cluster's JSON export of a "
                + "Rollout attempt; repeat for each. Every member record head the hub linked must be in them, signed by the key the hub verified with.")
    List<String> members;

    @Option(
        names = "--decisions",
        description =
            "Also re-run the judge offline: recompute every sequential look's e-values and every "
                + "sequential verdict from the recorded counts, and fail naming the first that does not match (a changed count, e-value or verdict).")
    boolean decisions;

    @Override
    public Integer call() throws Exception {
      if (rollout != null) {
        return verifyRollout();
      }
      if (file == null) {
        spec.commandLine().getErr().println("error: give an export file, or --rollout NAME");
        return 2;
      }
      String text = Files.readString(file);
      DsseEnvelope envelope = Exports.readDsse(text);
      ExportReader.Read read = envelope == null ? ExportReader.read(text) : null;
      PublicKey key;
      if (publicKey != null) {
        key = EvidenceKeys.publicKey(Files.readString(publicKey));
      } else if (read != null && read.publicKey() != null) {
        key = EvidenceKeys.publicKey(read.publicKey());
        spec.commandLine()
            .getErr()
            .println(
                "warning: verifying against the key embedded in the file; pass --public-key to check who signed it");
      } else {
        spec.commandLine()
            .getErr()
            .println(
                "error: this export carries no public key; pass --public-key (kubectl slipway evidence public-key)");
        return 2;
      }
      if (envelope != null) {
        return verifyEnvelope(envelope, key);
      }
      Verifier.Result r = Verification.verify(text, key);
      spec.commandLine()
          .getOut()
          .println(
              r.ok()
                  ? "OK: " + r.message() + " (key " + EvidenceKeys.keyId(key) + ")"
                  : "FAILED: " + r.message());
      boolean decided = !decisions || decisions(read == null ? List.of() : read.entries());
      boolean linked = members == null || linked(read == null ? List.of() : read.entries());
      return r.ok() && decided && linked ? 0 : 1;
    }

    /** The hub's links to member record heads, checked against the members' exports. */
    private boolean linked(List<RecordEntry> hub) throws IOException {
      List<FleetLinks.MemberExport> docs = new java.util.ArrayList<>();
      for (String m : members) {
        int eq = m.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("--member takes CLUSTER=FILE, not " + m);
        docs.add(
            new FleetLinks.MemberExport(
                m.substring(0, eq),
                ExportReader.document(Files.readString(Path.of(m.substring(eq + 1))))));
      }
      FleetLinks.Result l = FleetLinks.check(hub, docs);
      spec.commandLine()
          .getOut()
          .println((l.ok() ? "OK: members: " : "FAILED: members: ") + l.message());
      return l.ok();
    }

    /** The judge re-run on the entries; prints its own line. */
    private boolean decisions(List<RecordEntry> entries) {
      DecisionVerifier.Result d = DecisionVerifier.verify(entries);
      spec.commandLine()
          .getOut()
          .println((d.ok() ? "OK: decisions: " : "FAILED: decisions: ") + d.message());
      return d.ok();
    }

    private int verifyEnvelope(DsseEnvelope envelope, PublicKey key) throws IOException {
      Attestations.Checked c = Attestations.verify(envelope, key);
      if (!c.ok()) {
        spec.commandLine().getOut().println("FAILED: " + c.problem());
        return 1;
      }
      String what =
          "DSSE envelope signed by key "
              + EvidenceKeys.keyId(key)
              + ": "
              + c.predicate().path("namespace").asText()
              + "/"
              + c.predicate().path("rollout").asText()
              + " revision "
              + c.predicate().path("revision").asText()
              + " attempt "
              + c.predicate().path("attempt").asInt()
              + ", head entry "
              + c.predicate().path("headSeq").asLong()
              + " sha256:"
              + c.headHash();
      if (entries != null) {
        String jsonl = Files.readString(entries);
        Verifier.Result r = LineVerifier.verify(jsonl, key);
        if (!r.ok()) {
          spec.commandLine().getOut().println("FAILED: " + entries + ": " + r.message());
          return 1;
        }
        List<String> lines = jsonl.lines().filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? null : LineVerifier.parseHash(lines.get(lines.size() - 1));
        if (!c.headHash().equals(last) || lines.size() != c.predicate().path("entries").asInt()) {
          spec.commandLine()
              .getOut()
              .println(
                  "FAILED: "
                      + entries
                      + " ends at "
                      + lines.size()
                      + " entries with hash "
                      + last
                      + ", not at the attested head ("
                      + c.predicate().path("entries").asInt()
                      + " entries, "
                      + c.headHash()
                      + ")");
          return 1;
        }
        what += "; " + r.message() + ", ending at the attested head";
      }
      spec.commandLine().getOut().println("OK: " + what);
      return 0;
    }

    private int verifyRollout() throws Exception {
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(rollout).get();
        List<RolloutRecord> records =
            r != null
                ? client
                    .resources(RolloutRecord.class)
                    .inNamespace(ns)
                    .withLabel(RecordStore.ROLLOUT_UID, r.getMetadata().getUid())
                    .list()
                    .getItems()
                : client.resources(RolloutRecord.class).inNamespace(ns).list().getItems().stream()
                    .filter(x -> rollout.equals(x.getSpec().rollout()))
                    .toList();
        PublicKey key =
            trustedKey(client, publicKey, controllerNamespace, spec.commandLine().getErr(), true);
        if (key == null) {
          return 2;
        }
        String head = r == null || r.getStatus() == null ? null : r.getStatus().evidenceHead();
        LedgerVerifier.Result res = LedgerVerifier.verify(records, key, head);
        spec.commandLine()
            .getOut()
            .println((res.ok() ? "OK: " : "FAILED: ") + ns + "/" + rollout + ": " + res.message());
        boolean decided =
            !decisions
                || decisions(
                    records.stream().flatMap(x -> x.getSpec().entriesOrEmpty().stream()).toList());
        return res.ok() && decided ? 0 : 1;
      }
    }
  }

  @Command(
      name = "public-key",
      description = "Print the public key that verifies this cluster's evidence (PEM).")
  static final class PublicKeyCmd implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--controller-namespace", defaultValue = "slipway-system")
    String controllerNamespace;

    @Override
    public Integer call() {
      try (KubernetesClient client = kube.client()) {
        String pem = publicKey(client, controllerNamespace);
        if (pem == null) {
          spec.commandLine()
              .getErr()
              .println(
                  "error: no ConfigMap "
                      + controllerNamespace
                      + "/"
                      + KeySecret.PUBLIC_CONFIGMAP
                      + " (or no right to read it)");
          return 1;
        }
        spec.commandLine().getOut().print(pem);
        spec.commandLine().getOut().flush();
        return 0;
      }
    }
  }
}
