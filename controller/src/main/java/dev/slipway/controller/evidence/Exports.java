package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export formats. JSON is the whole document; JSONL is one canonical entry per line (exactly the
 * bytes that are hashed, plus hash and signature); CSV is one row per entry under {@link #CSV_HEADER};
 * in-toto is a Statement v1 whose predicate is the document.
 */
public final class Exports {
  public static final String CSV_HEADER = "seq,at,kind,phase,step,key,summary,data,prev_hash,hash,signature";
  public static final String INTOTO_STATEMENT = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slipway.dev/evidence/v1";

  private Exports() {}

  public static String json(ExportDocument doc) {
    try {
      return Canonical.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Canonical.tree(doc)) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String jsonl(ExportDocument doc) {
    StringBuilder b = new StringBuilder();
    for (RecordEntry e : doc.entries()) {
      b.append(Canonical.string(e)).append('\n');
    }
    return b.toString();
  }

  public static String csv(ExportDocument doc) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (RecordEntry e : doc.entries()) {
      b.append(e.seq()).append(',')
          .append(cell(e.at())).append(',')
          .append(cell(e.kind())).append(',')
          .append(cell(e.phase())).append(',')
          .append(e.step() == null ? "" : e.step()).append(',')
          .append(cell(e.key())).append(',')
          .append(cell(summary(e))).append(',')
          .append(cell(Canonical.string(e.data()))).append(',')
          .append(cell(e.prevHash())).append(',')
          .append(cell(e.hash())).append(',')
          .append(cell(e.signature())).append('\n');
    }
    return b.toString();
  }

  /** A Statement v1. Subjects: the record's head (its last hash) and every image whose digest is known. */
  public static String intoto(ExportDocument doc) {
    ObjectNode st = JsonNodeFactory.instance.objectNode();
    st.put("_type", INTOTO_STATEMENT);
    ArrayNode subjects = st.putArray("subject");
    if (!doc.entries().isEmpty()) {
      ObjectNode head = subjects.addObject();
      head.put("name", "rolloutrecord/" + doc.namespace() + "/" + doc.rollout() + "/" + doc.revision() + "/" + doc.attempt());
      head.putObject("digest").put("sha256", doc.entries().get(doc.entries().size() - 1).hash());
    }
    for (Map.Entry<String, String> img : digests(doc).entrySet()) {
      ObjectNode s = subjects.addObject();
      s.put("name", img.getKey());
      s.putObject("digest").put("sha256", img.getValue());
    }
    st.put("predicateType", PREDICATE_TYPE);
    st.set("predicate", Canonical.tree(doc));
    try {
      return Canonical.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(st) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Image name to sha256 digest, from the imageIDs the record holds ("...@sha256:<hex>"). */
  static Map<String, String> digests(ExportDocument doc) {
    Map<String, String> out = new LinkedHashMap<>();
    for (RecordEntry e : doc.entries()) {
      JsonNode images = Canonical.tree(e.data()).path("images");
      for (JsonNode img : images) {
        String id = img.path("imageID").asText("");
        int at = id.indexOf("@sha256:");
        if (at > 0) {
          out.putIfAbsent(img.path("image").asText(id.substring(0, at)), id.substring(at + "@sha256:".length()));
        }
      }
    }
    return out;
  }

  static String summary(RecordEntry e) {
    JsonNode d = Canonical.tree(e.data());
    return switch (e.kind()) {
      case "Transition" -> d.path("from").asText("new") + " -> " + d.path("to").asText() + " (" + d.path("reason").asText() + ")";
      case "WeightSet", "WeightVerified" -> "canary weight " + d.path("canaryWeight").asText();
      case "Measurement" -> d.path("metric").asText() + "=" + d.path("value").asText("n/a") + " " + d.path("verdict").asText();
      case "AnalysisVerdict" -> d.path("analysis").asText() + " " + d.path("verdict").asText();
      case "RecordOpened" -> "revision " + d.path("revision").asText() + " attempt " + d.path("attempt").asText()
          + " of " + d.path("namespace").asText() + "/" + d.path("rollout").asText() + ", controller " + d.path("controller").asText();
      case "ManualAction" -> d.path("action").asText() + " by " + d.path("fieldManager").asText("?");
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
}
