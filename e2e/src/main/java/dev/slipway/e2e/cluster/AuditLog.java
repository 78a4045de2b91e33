package dev.slipway.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The API server's audit log ({@link LocalControlPlane#auditLog}) read once: each request it
 * answered, in the order answered. What it holds is what the control plane's audit policy records.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /**
   * One answered request.
   *
   * @param name the object's, or for a create the one in its body; null when neither says
   * @param resourceVersion the one the request named; null when it named none
   * @param request the object sent, where the policy records it (level Request); else a missing
   *     node
   */
  public record Entry(
      Instant at,
      String verb,
      String resource,
      String subresource,
      String namespace,
      String name,
      String resourceVersion,
      int code,
      String userAgent,
      JsonNode request) {

    /** One line for a failure message: when, what, to which object, the answer, and by whom. */
    public String line() {
      return String.join(
          " ",
          at.toString(),
          verb,
          resource + "/" + subresource,
          namespace + "/" + name,
          "rv " + (resourceVersion == null ? "-" : resourceVersion),
          String.valueOf(code),
          userAgent);
    }
  }

  public static List<Entry> read(Path log) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonNode e = JSON.readTree(line);
      if (!"ResponseComplete".equals(e.path("stage").asText())) continue;
      JsonNode ref = e.path("objectRef");
      JsonNode request = e.path("requestObject");
      String name = ref.path("name").asText(null);
      if (name == null) name = request.path("metadata").path("name").asText(null);
      entries.add(
          new Entry(
              Instant.parse(e.path("stageTimestamp").asText()),
              e.path("verb").asText(),
              ref.path("resource").asText(),
              ref.path("subresource").asText(""),
              ref.path("namespace").asText(""),
              name,
              ref.path("resourceVersion").asText(null),
              e.path("responseStatus").path("code").asInt(0),
              e.path("userAgent").asText(""),
              request));
    }
    entries.sort(Comparator.comparing(Entry::at));
    return entries;
  }
}
