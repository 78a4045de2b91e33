package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.SetHeaderRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A segment as the route matches that select it: header matches (a cookie is one on the Cookie
 * header) and, for GRPCRoutes, one gRPC method. Pure.
 */
public final class Segments {
  private static final String TOKEN = "^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$";

  private Segments() {}

  /** One Gateway API header match: name, Exact or RegularExpression, value. */
  public record HeaderMatch(String name, String type, String value) {}

  /** One gRPC method, exactly. */
  public record GrpcMethod(String service, String method) {
    @Override
    public String toString() {
      return service + "/" + method;
    }
  }

  /** The route shape a segment step and a mirror share make. */
  public static RouteShape shape(SetHeaderRoute segment, int mirrorPercent) {
    return new RouteShape(headerMatches(segment), grpcMethod(segment), mirrorPercent);
  }

  /** The segment's gRPC method, or null when it names none. */
  public static GrpcMethod grpcMethod(SetHeaderRoute segment) {
    if (segment == null) return null;
    for (SegmentMatch m : segment.matchOrEmpty()) {
      if (m.grpcMethod() != null) {
        return new GrpcMethod(m.grpcMethod().service(), m.grpcMethod().method());
      }
    }
    return null;
  }

  public static List<HeaderMatch> headerMatches(SetHeaderRoute segment) {
    List<HeaderMatch> out = new ArrayList<>();
    if (segment == null) {
      return out;
    }
    for (SegmentMatch m : segment.matchOrEmpty()) {
      if (m.grpcMethod() != null) {
        continue;
      }
      if (m.cookie() != null) {
        out.add(new HeaderMatch("Cookie", "RegularExpression", cookieRegex(m.cookie(), m.value())));
      } else {
        out.add(new HeaderMatch(m.header(), m.typeOrDefault().name(), m.value()));
      }
    }
    return out;
  }

  /**
   * Anchored at both ends and tolerant of other cookies around it, so it means the same to a
   * gateway that matches the whole value (Envoy) and to one that searches in it (Traefik).
   */
  static String cookieRegex(String name, String value) {
    return "^(.*;\\s*)?" + quote(name) + "=" + quote(value) + "(;.*)?$";
  }

  private static final Pattern SERVICE =
      Pattern.compile("^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$");
  private static final Pattern METHOD = Pattern.compile("^[A-Za-z_][A-Za-z_0-9]*$");

  private static String methodProblem(SegmentMatch m) {
    if (m.value() != null || m.type() != null) {
      return ".grpcMethod: a grpcMethod match takes no value or type";
    }
    String service = m.grpcMethod().service();
    String method = m.grpcMethod().method();
    if (service == null || !SERVICE.matcher(service).matches()) {
      return ".grpcMethod.service: '" + service + "' is not a gRPC service name";
    }
    if (method == null || !METHOD.matcher(method).matches()) {
      return ".grpcMethod.method: '" + method + "' is not a gRPC method name";
    }
    return null;
  }

  /** RE2 and Java agree on backslash-escaping every punctuation character. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!Character.isLetterOrDigit(ch)) {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.toString();
  }

  /** What admission checks, again, for objects admitted without CEL; null when fine. */
  static String problem(SetHeaderRoute segment, String field) {
    List<SegmentMatch> ms = segment.matchOrEmpty();
    if (ms.stream().filter(m -> m.grpcMethod() != null).count() > 1) {
      return field + ".match: at most one grpcMethod per segment: a call has one method";
    }
    for (int i = 0; i < ms.size(); i++) {
      SegmentMatch m = ms.get(i);
      String f = field + ".match[" + i + "]";
      int kinds =
          (m.header() == null ? 0 : 1)
              + (m.cookie() == null ? 0 : 1)
              + (m.grpcMethod() == null ? 0 : 1);
      if (kinds != 1) {
        return f + ": each match names exactly one of header, cookie, grpcMethod";
      }
      if (m.grpcMethod() != null) {
        String problem = methodProblem(m);
        if (problem != null) return f + problem;
        continue;
      }
      if (m.value() == null || m.value().isEmpty()) {
        return f + ".value: required";
      }
      String name = m.header() != null ? m.header() : m.cookie();
      if (!name.matches(TOKEN)) {
        return f
            + ": '"
            + name
            + "' is not a valid "
            + (m.header() != null ? "header" : "cookie")
            + " name";
      }
      if (m.header() != null
          && (name.equalsIgnoreCase("cookie")
              || name.equalsIgnoreCase("authorization")
              || name.equalsIgnoreCase("proxy-authorization"))) {
        return f + ".header: match a cookie with cookie:, and never route on credentials";
      }
      if (Pattern.compile(SegmentMatch.CREDENTIAL_LIKE)
          .matcher(name.toLowerCase(Locale.ROOT))
          .find()) {
        return f
            + ": never route on a credential: a header or cookie whose name holds token, key, secret, auth, session or password"
            + " would put its value in plain text in a route that anyone who can read routes can read";
      }
      if (m.cookie() != null && m.typeOrDefault() != SegmentMatch.Type.Exact) {
        return f + ".type: a cookie match is Exact only";
      }
      if (m.cookie() != null
          && m.value()
              .chars()
              .anyMatch(
                  ch ->
                      ch == ';' || ch == ',' || ch == '"' || ch == '\\' || ch <= ' ' || ch > '~')) {
        return f + ".value: not a valid cookie value";
      }
      if (m.typeOrDefault() == SegmentMatch.Type.RegularExpression) {
        try {
          Pattern.compile(m.value());
        } catch (PatternSyntaxException e) {
          return f + ".value: not a regular expression: " + e.getDescription();
        }
      }
    }
    return null;
  }
}
