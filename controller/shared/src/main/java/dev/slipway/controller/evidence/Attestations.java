package dev.slipway.controller.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.DsseEnvelope;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signed in-toto attestation of an attempt's head: a DSSE envelope (payload type
 * application/vnd.in-toto+json) of a Statement v1 whose subject is the head entry's hash. The hash
 * chain makes the head commit to every entry before it, so verifying the envelope and then the
 * exported entries against its subject covers the whole record. The controller re-signs it on every
 * append; any in-toto or DSSE tool can check it with the published public key.
 */
public final class Attestations {
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slipway.dev/evidence/head/v1";

  private Attestations() {}

  /** The attempt a head belongs to. */
  public record Attempt(
      String namespace, String rollout, String rolloutUid, String revision, int attempt) {
    String subject() {
      return namespace + "/" + rollout + "/" + revision + "/a" + attempt;
    }
  }

  /** Signs the head of {@code entries} (all of the attempt's, in order). */
  public static DsseEnvelope sign(Attempt a, List<RecordEntry> entries, EvidenceKeys keys) {
    RecordEntry head = entries.get(entries.size() - 1);
    byte[] payload =
        Jcs.canonicalize(statement(a, head, digests(entries), keys.keyId()))
            .getBytes(StandardCharsets.UTF_8);
    String sig = keys.sign(pae(PAYLOAD_TYPE, payload));
    return new DsseEnvelope(
        PAYLOAD_TYPE,
        Base64.getEncoder().encodeToString(payload),
        List.of(new DsseEnvelope.DsseSignature(keys.keyId(), sig)));
  }

  static JsonNode statement(Attempt a, RecordEntry head, Map<String, String> images, String keyId) {
    ObjectNode st = JsonNodeFactory.instance.objectNode();
    st.put("_type", STATEMENT_TYPE);
    var subjects = st.putArray("subject");
    ObjectNode subject = subjects.addObject();
    subject.put("name", a.subject());
    subject.putObject("digest").put("sha256", head.hash());
    // The images the record saw running, by digest: what supply-chain tools match attestations on.
    images.forEach(
        (image, digest) -> {
          ObjectNode s = subjects.addObject();
          s.put("name", image);
          s.putObject("digest").put("sha256", digest);
        });
    st.put("predicateType", PREDICATE_TYPE);
    ObjectNode p = st.putObject("predicate");
    p.put("namespace", a.namespace());
    p.put("rollout", a.rollout());
    if (a.rolloutUid() != null) p.put("rolloutUid", a.rolloutUid());
    p.put("revision", a.revision());
    p.put("attempt", a.attempt());
    p.put("entries", head.seq() + 1);
    p.put("headSeq", head.seq());
    p.put("headKind", head.kind());
    p.put("headAt", head.at());
    p.put("keyId", keyId);
    p.put("canon", head.canonOrLegacy());
    return st;
  }

  /** Image name to sha256 digest, from the imageIDs the entries hold ("...@sha256:<hex>"). */
  static Map<String, String> digests(List<RecordEntry> entries) {
    Map<String, String> out = new TreeMap<>();
    for (RecordEntry e : entries) {
      JsonNode images = Canonical.tree(e.data()).path("images");
      for (JsonNode img : images) {
        String id = img.path("imageID").asText("");
        int at = id.indexOf("@sha256:");
        if (at > 0) {
          out.putIfAbsent(
              img.path("image").asText(id.substring(0, at)),
              id.substring(at + "@sha256:".length()));
        }
      }
    }
    return out;
  }

  /** DSSE v1's pre-authentication encoding: what the signature covers. */
  static byte[] pae(String type, byte[] body) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    String prefix = "DSSEv1 " + t.length + " " + type + " " + body.length + " ";
    byte[] pre = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[pre.length + body.length];
    System.arraycopy(pre, 0, out, 0, pre.length);
    System.arraycopy(body, 0, out, pre.length, body.length);
    return out;
  }

  /**
   * What a checked envelope says: the subject's head hash and the predicate, or why it does not
   * check.
   */
  public record Checked(boolean ok, String problem, String headHash, JsonNode predicate) {}

  public static Checked verify(DsseEnvelope env, PublicKey key) {
    if (env == null
        || env.payload() == null
        || env.signatures() == null
        || env.signatures().isEmpty()) {
      return new Checked(
          false, "not a DSSE envelope (payload and signatures required)", null, null);
    }
    if (!PAYLOAD_TYPE.equals(env.payloadType())) {
      return new Checked(
          false, "payloadType is " + env.payloadType() + ", not " + PAYLOAD_TYPE, null, null);
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(env.payload());
    } catch (IllegalArgumentException e) {
      return new Checked(false, "payload is not base64", null, null);
    }
    String keyId = EvidenceKeys.keyId(key);
    boolean signed =
        env.signatures().stream()
            .anyMatch(
                s ->
                    keyId.equals(s.keyid())
                        && s.sig() != null
                        && EvidenceKeys.verify(key, pae(env.payloadType(), payload), s.sig()));
    if (!signed) {
      return new Checked(false, "no signature by key " + keyId + " verifies", null, null);
    }
    try {
      JsonNode st = Canonical.JSON.readTree(payload);
      if (!STATEMENT_TYPE.equals(st.path("_type").asText())
          || !PREDICATE_TYPE.equals(st.path("predicateType").asText())) {
        return new Checked(
            false, "the payload is not a Slipway evidence head Statement", null, null);
      }
      return new Checked(
          true,
          null,
          st.path("subject").path(0).path("digest").path("sha256").asText(null),
          st.path("predicate"));
    } catch (IOException e) {
      return new Checked(false, "the payload is not JSON", null, null);
    }
  }
}
