package dev.slipway.controller.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP POST per delivery: a CloudEvent in structured mode, or a Slack-compatible {"text": ...}.
 * Bodies are built apart from sending ({@link #body}), so their shape is tested without a socket.
 */
public class WebhookTransport {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** The receiver's status code; an exception when none answered. */
  public int send(Sink.Kind kind, String url, String authorization, NotificationEvent event)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header(
                "Content-Type",
                kind == Sink.Kind.cloudevents ? "application/cloudevents+json" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(kind, event)));
    if (authorization != null) b.header("Authorization", authorization);
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static String body(Sink.Kind kind, NotificationEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (kind == Sink.Kind.slack) {
      m.put("text", e.text());
    } else {
      m.put("specversion", "1.0");
      m.put("id", e.id());
      m.put("source", e.source());
      m.put("type", e.type());
      m.put("subject", e.subject());
      m.put("time", e.time());
      m.put("datacontenttype", "application/json");
      m.put("data", e.data());
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }
}
