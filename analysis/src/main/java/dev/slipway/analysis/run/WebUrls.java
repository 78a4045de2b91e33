package dev.slipway.analysis.run;

import dev.slipway.analysis.spec.WebCheck;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web check's URL with its {{args.NAME}} filled in: only in the query string, each value
 * URL-encoded, so an argument (a revision, a Service name, a template's own) can neither change the
 * host nor add a parameter.
 */
final class WebUrls {
  private static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_]+)\\s*}}");

  private WebUrls() {}

  static WebCheck render(WebCheck check, Map<String, String> args) {
    // WebCheck refuses an argument before the query string: only the query is filled in.
    String url = check.url();
    String head = WebCheck.head(url);
    if (head.length() == url.length()) return check;
    Matcher m = ARG.matcher(url.substring(head.length()));
    StringBuilder out = new StringBuilder(head);
    while (m.find()) {
      String v = args.get(m.group(1));
      if (v == null) throw new IllegalArgumentException("no argument " + m.group(1));
      m.appendReplacement(
          out, Matcher.quoteReplacement(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    }
    m.appendTail(out);
    return new WebCheck(
        out.toString(),
        check.method(),
        check.body(),
        check.headers(),
        check.jsonPath(),
        check.timeout());
  }
}
