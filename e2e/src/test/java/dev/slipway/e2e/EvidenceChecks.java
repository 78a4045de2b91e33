package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.ExportReader;
import dev.slipway.controller.evidence.Exports;
import dev.slipway.controller.evidence.LineVerifier;
import dev.slipway.controller.evidence.Verification;
import dev.slipway.controller.evidence.Verifier;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Exports a real record with `kubectl slipway`, verifies it, and proves every byte of it is
 * covered.
 */
public final class EvidenceChecks {
  private EvidenceChecks() {}

  public static List<RecordEntry> exportAndVerify(
      Cluster cp, String ns, String rollout, String revision) throws Exception {
    Kubectl k = new Kubectl(cp.adminKubeconfig());
    awaitSettled(k, ns, rollout);
    Path dir = Files.createTempDirectory(cp.dir(), "evidence");
    Kubectl.Result key = k.plugin("evidence", "public-key");
    assertEquals(0, key.exit(), key.out());
    Path pem = dir.resolve("public.pem");
    Files.writeString(pem, key.out());
    PublicKey publicKey = EvidenceKeys.publicKey(key.out());
    for (String format : Exports.formats()) {
      Path file = dir.resolve("evidence." + format);
      Kubectl.Result r =
          k.plugin(
              "evidence",
              "export",
              rollout,
              "-n",
              ns,
              "--revision",
              revision,
              "--format",
              format,
              "--file",
              file.toString());
      assertEquals(0, r.exit(), format + ": " + r.out());
      System.out.println(
          "  kubectl slipway evidence export --format " + format + ": " + r.out().strip());
      if (!format.equals("csv")) {
        // The in-toto export is the signed head attestation; with the JSONL beside it, the whole
        // record is covered.
        Kubectl.Result v =
            format.equals("intoto")
                ? k.plugin(
                    "evidence",
                    "verify",
                    file.toString(),
                    "--public-key",
                    pem.toString(),
                    "--entries",
                    dir.resolve("evidence.jsonl").toString())
                : k.plugin("evidence", "verify", file.toString(), "--public-key", pem.toString());
        assertEquals(0, v.exit(), format + ": " + v.out());
        System.out.println(
            "  kubectl slipway evidence verify (" + format + "): " + v.out().strip());
      }
    }
    String jsonl = Files.readString(dir.resolve("evidence.jsonl"));
    List<RecordEntry> entries = ExportReader.read(jsonl).entries();
    List<String> csv = Files.readAllLines(dir.resolve("evidence.csv"));
    assertEquals(Exports.CSV_HEADER, csv.get(0));
    long rows = csv.stream().skip(1).filter(l -> l.matches("^\\d+,.*")).count();
    assertEquals(entries.size(), rows, "one CSV row per entry");
    String intoto = Files.readString(dir.resolve("evidence.intoto"));
    assertTrue(
        intoto.contains("\"payloadType\" : \"application/vnd.in-toto+json\"")
            && intoto.contains("\"signatures\""),
        intoto);
    String statement =
        new String(
            Base64.getDecoder().decode(Exports.readDsse(intoto).payload()), StandardCharsets.UTF_8);
    assertTrue(
        statement.contains("https://in-toto.io/Statement/v1")
            && statement.contains("https://slipway.dev/evidence/head/v1"),
        statement);
    System.out.println("  in-toto statement in the DSSE envelope: " + statement);
    Kubectl.Result all =
        k.plugin(
            "evidence", "verify", "--rollout", rollout, "-n", ns, "--public-key", pem.toString());
    assertEquals(0, all.exit(), all.out());
    System.out.println(
        "  kubectl slipway evidence verify --rollout " + rollout + ": " + all.out().strip());

    // One tampered file through the real plugin: exit 1, and the entry named.
    String[] lines = jsonl.split("\n");
    String[] tampered = lines.clone();
    tampered[1] = tampered[1].replace("\"kind\":\"", "\"kind\":\"X");
    Path bad = dir.resolve("tampered.jsonl");
    Files.writeString(bad, String.join("\n", tampered) + "\n");
    Kubectl.Result v =
        k.plugin("evidence", "verify", bad.toString(), "--public-key", pem.toString());
    assertEquals(1, v.exit(), v.out());
    assertTrue(v.out().contains("entry 1"), v.out());
    System.out.println("  tampered entry 1: " + v.out().strip());

    // Every single-byte change of every entry of the real record is caught and names that entry.
    // Verifying a JSONL file is folding its lines through LineVerifier; the lines before the
    // changed one are unchanged, so the fold is resumed from the state it had reached there.
    // Every 97th change also runs the whole-file verification, which must agree.
    int checked = 0;
    LineVerifier state = LineVerifier.start(publicKey);
    for (int line = 0; line < lines.length; line++) {
      byte[] bytes = lines[line].getBytes(StandardCharsets.UTF_8);
      for (int b = 0; b < bytes.length; b++) {
        byte[] changed = bytes.clone();
        changed[b] = (byte) (changed[b] == '0' ? '1' : '0');
        String tamperedLine = new String(changed, StandardCharsets.UTF_8);
        Object next = state.next(tamperedLine);
        assertTrue(
            next instanceof Verifier.Result failed && !failed.ok() && failed.badIndex() == line,
            "entry " + line + " byte " + b + ": " + next);
        if (checked % 97 == 0) {
          String[] copy = lines.clone();
          copy[line] = tamperedLine;
          Verifier.Result whole = Verification.verify(String.join("\n", copy) + "\n", publicKey);
          assertEquals(
              line,
              whole.badIndex(),
              "whole file, entry " + line + " byte " + b + ": " + whole.message());
        }
        checked++;
      }
      state = (LineVerifier) state.next(lines[line]);
    }
    System.out.println(
        "  every byte of "
            + lines.length
            + " entries changed once: "
            + checked
            + " tamperings, each caught at its entry");
    return entries;
  }

  /**
   * Waits until the Rollout's evidence head has not moved for two seconds. Each format is exported
   * by its own command, so a record still growing (the result of a last action, written after the
   * state a test waits for) gave a JSONL one entry short of the head the in-toto export attested a
   * moment later (ci31).
   */
  static void awaitSettled(Kubectl k, String ns, String rollout) {
    String[] last = {null};
    long[] since = {System.nanoTime()};
    Await.until(
        "the evidence of " + ns + "/" + rollout + " settled",
        Duration.ofSeconds(60),
        () -> {
          Kubectl.Result r =
              k.run(
                  null,
                  "get",
                  "rollouts.slipway.dev",
                  rollout,
                  "-n",
                  ns,
                  "-o",
                  "jsonpath={.status.evidenceHead}");
          String head = r.exit() == 0 ? r.out().strip() : null;
          if (head == null || !head.equals(last[0])) {
            last[0] = head;
            since[0] = System.nanoTime();
            return false;
          }
          return System.nanoTime() - since[0] >= 2_000_000_000L;
        });
  }
}
