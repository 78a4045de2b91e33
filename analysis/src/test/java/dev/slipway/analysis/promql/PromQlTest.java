package dev.slipway.analysis.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromQlTest {

  @Test
  void valueInsideStringIsEscaped() {
    String q = PromQl.substitute("up{job=\"{{args.job}}\"}", Map.of("job", "a\"b\\c\nd"));
    assertEquals("up{job=\"a\\\"b\\\\c\\nd\"}", q);
  }

  @Test
  void regexMatcherValueIsQuotedLiterally() {
    String q = PromQl.substitute("up{pod=~\"{{args.p}}-.*\"}", Map.of("p", "web.1(x)"));
    assertEquals("up{pod=~\"web\\\\.1\\\\(x\\\\)-.*\"}", q);
  }

  @Test
  void placeholderOutsideStringIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PromQl.substitute("sum(up) > {{args.n}}", Map.of("n", "1")));
    assertTrue(e.getMessage().contains("inside a double-quoted string"), e.getMessage());
  }

  @Test
  void unknownArgIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PromQl.substitute("up{a=\"{{args.nope}}\"}", Map.of("x", "1")));
    assertTrue(e.getMessage().contains("{{args.nope}}"), e.getMessage());
  }

  @Test
  void singleQuotedAndBacktickStringsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PromQl.substitute("up{a='{{args.x}}'}", Map.of("x", "1")));
    assertThrows(IllegalArgumentException.class, () -> PromQl.substitute("up{a=`x`}", Map.of()));
  }

  @Test
  void escapedQuoteInTemplateDoesNotEndTheString() {
    String q = PromQl.substitute("up{a=\"x\\\"{{args.v}}\"}", Map.of("v", "1"));
    assertEquals("up{a=\"x\\\"1\"}", q);
  }

  /**
   * Each hostile value stays one string literal: the query's text outside the literal never
   * changes.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"} or vector(1) or {\"",
        "\"",
        "\\",
        "\\\"",
        "a\nb",
        "}{",
        "{{args.other}}",
        "\u0000\u001f",
        "'`"
      })
  void hostileValuesStayInsideTheirLiteral(String hostile) {
    String q = PromQl.substitute("sum(up{a=\"{{args.v}}\"})", Map.of("v", hostile, "other", "X"));
    assertTrue(q.startsWith("sum(up{a=\"") && q.endsWith("\"})"), q);
    String body = q.substring("sum(up{a=\"".length(), q.length() - 3);
    assertEquals(hostile, unquoteGo(body));
  }

  /** Reads a Go-style string body back, as Prometheus's lexer does; fails on an unescaped quote. */
  static String unquoteGo(String body) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '"') throw new AssertionError("unescaped quote in " + body);
      if (c == '\n') throw new AssertionError("raw newline in " + body);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char n = body.charAt(++i);
      switch (n) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case '\\' -> b.append('\\');
        case '"' -> b.append('"');
        case 'x' -> {
          b.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> throw new AssertionError("unknown escape \\" + n);
      }
    }
    return b.toString();
  }
}
