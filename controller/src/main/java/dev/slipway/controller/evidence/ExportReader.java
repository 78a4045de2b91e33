package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an export back for verification: JSON, in-toto or JSONL, told apart by content. A JSONL
 * line must be exactly its canonical form, so no byte of it can change unnoticed; a line that is
 * not even JSON is reported as that entry.
 */
public final class ExportReader {
  private ExportReader() {}

  /** What was read: the entries, or the first entry that could not be read, and any embedded key. */
  public record Read(List<RecordEntry> entries, String publicKey, String keyId, int badIndex, String problem) {}

  public static Read read(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("{") && !trimmed.contains("\n{")) {
      JsonNode root;
      try {
        root = Canonical.JSON.readTree(trimmed);
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
      RecordEntry e;
      try {
        e = Canonical.JSON.readValue(line, RecordEntry.class);
      } catch (Exception ex) {
        return new Read(entries, null, null, i, "entry " + i + ": not valid JSON");
      }
      if (!Canonical.string(e).equals(line)) {
        return new Read(entries, null, null, i, "entry " + i + (e.key() == null ? "" : " (" + e.key() + ")")
            + ": not in canonical form (the line was altered)");
      }
      entries.add(e);
      i++;
    }
    return new Read(entries, null, null, -1, null);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
