package dev.slipway.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each CRD fits `kubectl apply`'s client-side record: kubectl keeps the whole object, as JSON, in
 * the last-applied-configuration annotation, and the API server refuses annotations over 262,144
 * bytes in all (the README's `kubectl apply -k` and Argo CD's default apply both go this way).
 * Every metric field is repeated in each of the Rollout's five analysis places, so a long
 * description there costs five times its length: this fails in seconds, where InstallE2ETest would
 * fail at the end of the real node's lane (ci38: 286,378 bytes).
 */
class CrdSizeTest {
  /** The API server's limit, less room for what kubectl adds and Go's escaping of < > &. */
  static final int MAX = 262_144 - 6_000;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rollouts.slipway.dev.yaml",
        "analysistemplates.slipway.dev.yaml",
        "rolloutrecords.slipway.dev.yaml",
        "releases.slipway.dev.yaml"
      })
  void fitsTheLastAppliedAnnotation(String file) throws Exception {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of(file)));
    String json = new ObjectMapper().writeValueAsString(crd);
    long escaped = json.chars().filter(c -> c == '<' || c == '>' || c == '&').count();
    long bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 5 * escaped;
    System.out.printf("%s: %,d bytes as kubectl records it (limit here %,d)%n", file, bytes, MAX);
    assertTrue(
        bytes <= MAX,
        file
            + " is "
            + bytes
            + " bytes as JSON: too big for kubectl apply's last-applied-configuration annotation"
            + " (262,144 bytes); shorten descriptions or rules of fields repeated per analysis");
  }
}
