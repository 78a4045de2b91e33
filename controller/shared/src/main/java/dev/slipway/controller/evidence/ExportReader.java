package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an export back: JSON, in-toto or JSONL, told apart by content. JSONL lines are read as
 * {@link LineVerifier#parse} reads them, so an altered line is reported as that entry.
 */
public final class ExportReader {
  private ExportReader() {}

  /**
   * What was read: the entries, or the first entry that could not be read, and any embedded key.
   */
  public record Read(
      List<RecordEntry> entries, String publicKey, String keyId, int badIndex, String problem) {}

  /** A JSON or in-toto document (one object), as opposed to JSONL (one object per line). */
  static boolean isDocument(String text) {
    String trimmed = text.strip();
    return trimmed.startsWith("{") && !trimmed.contains("\n{");
  }

  /** A JSON export as its document (who it is about, its key, its entries). */
  public static ExportDocument document(String text) {
    try {
      return Canonical.JSON.readValue(text.strip(), ExportDocument.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a JSON evidence export: " + e.getMessage(), e);
    }
  }

  public static Read read(String text) {
    if (isDocument(text)) {
      JsonNode root;
      try {
        root = Canonical.JSON.readTree(text.strip());
      } catch (Exception e) {
        return new Read(List.of(), null, null, 0, "not valid JSON: " + e.getMessage());
      }
      JsonNode doc = root.has("predicate") ? root.get("predicate") : root;
      List<RecordEntry> entries = new ArrayList<>();
      int i = 0;
      for (JsonNode e : doc.path("entries")) {
        try {
          entries.add(Canonical.JSON.treeToValue(e, RecordEntry.class));
        } catch (Exception ex) {
          return new Read(entries, null, null, i, "entry " + i + ": not a valid entry");
        }
        i++;
      }
      return new Read(entries, text(doc, "publicKey"), text(doc, "keyId"), -1, null);
    }
    List<RecordEntry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int i = 0;
    for (String line : lines) {
      if (line.isEmpty()) continue;
      try {
        entries.add(LineVerifier.parse(line));
      } catch (IllegalArgumentException ex) {
        return new Read(entries, null, null, i, "entry " + i + ": " + ex.getMessage());
      }
      i++;
    }
    return new Read(entries, null, null, -1, null);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
