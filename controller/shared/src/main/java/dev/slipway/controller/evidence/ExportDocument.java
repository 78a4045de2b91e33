package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.List;

/**
 * One revision attempt's evidence, as exported: who it is about, the key that signed it, the
 * entries.
 */
public record ExportDocument(
    String apiVersion,
    String kind,
    String rollout,
    String namespace,
    String revision,
    Integer attempt,
    String keyId,
    String publicKey,
    List<RecordEntry> entries) {

  public static final String API_VERSION = "slipway.dev/v1alpha1";
  public static final String KIND = "EvidenceExport";

  public static ExportDocument of(
      String rollout,
      String namespace,
      String revision,
      int attempt,
      String keyId,
      String publicKey,
      List<RecordEntry> entries) {
    return new ExportDocument(
        API_VERSION,
        KIND,
        rollout,
        namespace,
        revision,
        attempt,
        keyId,
        publicKey,
        List.copyOf(entries));
  }
}
