package dev.slipway.controller.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's CRUD mock server, for speed only. It answers server-side apply with 415, and its merge
 * patch appends to lists. So an apply is turned into the JSON Patch that has the effect a real API
 * server gives the objects we apply: each given leaf is set, each given list replaced whole
 * (Gateway API's lists are atomic), and a given resourceVersion is a precondition. The
 * real-apiserver suite exercises true server-side apply.
 */
public final class MockCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public final KubernetesMockServer server;
  public final KubernetesClient client;

  public MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new ApplyAsJsonPatch(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  /** The paths of the requests it has answered since last asked, in order. */
  public List<String> takePaths() {
    List<String> paths = new ArrayList<>();
    try {
      for (RecordedRequest r; (r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null; ) {
        paths.add(r.getPath());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return paths;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static final class ApplyAsJsonPatch extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      if (type == null || !type.startsWith("application/apply-patch")) {
        return super.handlePatch(request);
      }
      try {
        JsonNode body = JSON.readTree(request.getUtf8Body());
        String path = request.getPath().replaceAll("\\?.*$", "");
        MockResponse current = handleGet(path);
        JsonNode live =
            JSON.readTree(current.getBody() == null ? "{}" : current.getBody().readUtf8());
        ArrayNode ops = JSON.createArrayNode();
        JsonNode rv = body.path("metadata").path("resourceVersion");
        if (rv.isTextual()) {
          ops.addObject()
              .put("op", "test")
              .put("path", "/metadata/resourceVersion")
              .put("value", rv.asText());
        }
        ((ObjectNode) body).remove(List.of("apiVersion", "kind", "metadata"));
        collect(body, live, "", ops);
        Buffer buf = new Buffer();
        buf.write(JSON.writeValueAsBytes(ops));
        RecordedRequest asPatch =
            new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                request
                    .getHeaders()
                    .newBuilder()
                    .set("Content-Type", "application/json-patch+json")
                    .build(),
                buf);
        MockResponse r = super.handlePatch(asPatch);
        return r.code() == 422 && rv.isTextual() ? conflict() : r;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static MockResponse conflict() {
      return new MockResponse()
          .setResponseCode(409)
          .setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,"
                  + "\"message\":\"the object has been modified; please apply your changes to the latest version and try again\"}");
    }

    private static void collect(JsonNode applied, JsonNode live, String path, ArrayNode ops) {
      Iterator<Map.Entry<String, JsonNode>> it = applied.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = path + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        JsonNode here = live == null ? null : live.get(e.getKey());
        if (e.getValue().isObject() && here != null && here.isObject()) {
          collect(e.getValue(), here, p, ops);
        } else {
          ops.addObject().put("op", "add").put("path", p).set("value", e.getValue());
        }
      }
    }
  }
}
