package dev.slipway.controller.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.provider.AddressPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads manifests and blobs from an OCI registry (the distribution API), anonymously: a 401 with a
 * Bearer challenge is answered with an anonymous pull token, as public registries expect. The
 * analysis address policy applies: link-local, metadata and API-server addresses are never asked.
 */
public final class Registry {
  static final String ACCEPT =
      "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
  private static final Pattern REALM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final AddressPolicy policy;
  private final Duration timeout;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /** Not found: the artifact does not exist (an unsigned image's .sig). */
  public static final class NotFound extends IOException {
    private static final long serialVersionUID = 1L;

    NotFound(String what) {
      super(what + " not found");
    }
  }

  public Registry(AddressPolicy policy, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.policy = policy;
    this.timeout = timeout;
  }

  public JsonNode manifest(ImageRef ref, String reference) throws IOException {
    return JSON.readTree(get(ref, "/manifests/" + reference, ACCEPT));
  }

  public byte[] blob(ImageRef ref, String digest) throws IOException {
    return get(ref, "/blobs/" + digest, "*/*");
  }

  private byte[] get(ImageRef ref, String path, String accept) throws IOException {
    URI uri = URI.create(ref.baseUrl() + "/v2/" + ref.repository() + path);
    String refusal = policy.refusal(uri);
    if (refusal != null) throw new IOException(refusal);
    HttpResponse<byte[]> r = send(uri, accept, tokens.get(ref.registry() + "/" + ref.repository()));
    if (r.statusCode() == 401) {
      String token = anonymousToken(ref, r.headers().firstValue("WWW-Authenticate").orElse(""));
      tokens.put(ref.registry() + "/" + ref.repository(), token);
      r = send(uri, accept, token);
    }
    if (r.statusCode() == 404) throw new NotFound(uri.toString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("GET " + uri + ": HTTP " + r.statusCode());
    }
    return r.body();
  }

  private HttpResponse<byte[]> send(URI uri, String accept, String token) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept);
    if (token != null) b.header("Authorization", "Bearer " + token);
    try {
      return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private String anonymousToken(ImageRef ref, String challenge) throws IOException {
    if (!challenge.startsWith("Bearer ")) {
      throw new IOException(
          ref.registry()
              + " asks for credentials ("
              + challenge
              + "): only anonymous pulls are supported");
    }
    Map<String, String> p = new HashMap<>();
    Matcher m = REALM.matcher(challenge);
    while (m.find()) p.put(m.group(1), m.group(2));
    String realm = p.get("realm");
    if (realm == null) throw new IOException("no realm in " + challenge);
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (p.containsKey("service"))
      q.append("service=")
          .append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8))
          .append('&');
    q.append("scope=")
        .append(
            URLEncoder.encode("repository:" + ref.repository() + ":pull", StandardCharsets.UTF_8));
    URI uri = URI.create(q.toString());
    String refusal = policy.refusal(uri);
    if (refusal != null) throw new IOException(refusal);
    HttpResponse<byte[]> r = send(uri, "application/json", null);
    if (r.statusCode() / 100 != 2)
      throw new IOException("token from " + realm + ": HTTP " + r.statusCode());
    JsonNode t = JSON.readTree(r.body());
    JsonNode token = t.has("token") ? t.get("token") : t.get("access_token");
    if (token == null) throw new IOException("no token from " + realm);
    return token.asText();
  }
}
