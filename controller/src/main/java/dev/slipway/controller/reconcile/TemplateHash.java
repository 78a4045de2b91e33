package dev.slipway.controller.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.controller.kube.Sha256;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Revision identity: a hash of the pod template in canonical JSON (sorted keys, no nulls), so an
 * unchanged re-apply from Git never looks like a new revision.
 */
public final class TemplateHash {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private TemplateHash() {}

  public static String of(PodTemplateSpec template) {
    JsonNode tree = MAPPER.valueToTree(template);
    byte[] canonical = canonical(tree).getBytes(StandardCharsets.UTF_8);
    byte[] digest = Sha256.of(canonical);
    // Kubernetes-style safe alphabet (no vowels, so no words), 10 chars: ~47 bits.
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      b.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
    }
    return b.toString();
  }

  static String canonical(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(sortAndDropNulls(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object sortAndDropNulls(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> sorted = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) node).fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull() && !(e.getValue().isContainerNode() && e.getValue().isEmpty())) {
          sorted.put(e.getKey(), sortAndDropNulls(e.getValue()));
        }
      }
      return sorted;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(sortAndDropNulls(n)));
      return list;
    }
    return node;
  }
}
