package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.api.v1alpha1.DsseEnvelope;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.List;

/**
 * The export formats. JSON is the whole document; JSONL is one canonical entry per line (exactly
 * the bytes that are hashed, plus hash and signature); CSV is one row per entry under {@link
 * #CSV_HEADER}; in-toto is the attempt's signed head attestation, a DSSE envelope ({@link
 * Attestations}).
 */
public final class Exports {
  public static final String CSV_HEADER =
      "seq,at,kind,phase,step,key,summary,data,prev_hash,hash,signature";

  private Exports() {}

  public static String json(ExportDocument doc) {
    try {
      return Canonical.JSON
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(Canonical.tree(doc))
          + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String jsonl(ExportDocument doc) {
    StringBuilder b = new StringBuilder();
    for (RecordEntry e : doc.entries()) {
      b.append(Canonical.string(e, e.canonOrLegacy())).append('\n');
    }
    return b.toString();
  }

  public static String csv(ExportDocument doc) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (RecordEntry e : doc.entries()) {
      b.append(e.seq())
          .append(',')
          .append(cell(e.at()))
          .append(',')
          .append(cell(e.kind()))
          .append(',')
          .append(cell(e.phase()))
          .append(',')
          .append(e.step() == null ? "" : e.step())
          .append(',')
          .append(cell(e.key()))
          .append(',')
          .append(cell(summary(e)))
          .append(',')
          .append(cell(Canonical.string(e.data())))
          .append(',')
          .append(cell(e.prevHash()))
          .append(',')
          .append(cell(e.hash()))
          .append(',')
          .append(cell(e.signature()))
          .append('\n');
    }
    return b.toString();
  }

  static String summary(RecordEntry e) {
    JsonNode d = Canonical.tree(e.data());
    return switch (e.kind()) {
      case "Transition" ->
          d.path("from").asText("new")
              + " -> "
              + d.path("to").asText()
              + " ("
              + d.path("reason").asText()
              + ")";
      case "WeightSet", "WeightVerified" -> "canary weight " + d.path("canaryWeight").asText();
      case "Measurement" ->
          d.path("metric").asText()
              + "="
              + d.path("value").asText("n/a")
              + " "
              + d.path("verdict").asText();
      case "AnalysisVerdict" -> d.path("analysis").asText() + " " + d.path("verdict").asText();
      case "RecordOpened" ->
          "revision "
              + d.path("revision").asText()
              + " attempt "
              + d.path("attempt").asText()
              + " of "
              + d.path("namespace").asText()
              + "/"
              + d.path("rollout").asText()
              + ", controller "
              + d.path("controller").asText();
      case "ManualAction" ->
          d.path("action").asText() + " by " + d.path("fieldManager").asText("?");
      case "PodEviction" -> "restart evicts pod " + d.path("pod").asText();
      case "PodReplaced" ->
          "rollback replaces pod "
              + d.path("pod").asText()
              + " ("
              + d.path("from").asText()
              + " -> "
              + d.path("to").asText()
              + ")";
      case "RestartFinished" ->
          "restart of pods created before " + d.path("restartAt").asText() + " finished";
      default -> d.path("outcome").asText(e.kind());
    };
  }

  private static String cell(String s) {
    if (s == null) return "";
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  public static List<String> formats() {
    return List.of("json", "jsonl", "csv", "intoto");
  }

  /** The attempt's signed head attestation (a DSSE envelope), as in-toto and DSSE tools read it. */
  public static String dsse(DsseEnvelope envelope) {
    if (envelope == null) {
      throw new IllegalArgumentException(
          "this record was written before signed attestations; export json or jsonl");
    }
    try {
      return Canonical.JSON
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(envelope)
          + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A DSSE envelope, when the text is one; null for every other export. */
  public static DsseEnvelope readDsse(String text) {
    if (!ExportReader.isDocument(text)) return null;
    try {
      JsonNode n = Canonical.JSON.readTree(text.strip());
      if (!n.has("payloadType") || !n.has("signatures")) return null;
      return Canonical.JSON.treeToValue(n, DsseEnvelope.class);
    } catch (Exception e) {
      return null;
    }
  }
}
