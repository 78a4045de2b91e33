package dev.slipway.controller.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo Rollouts' successCondition and failureCondition, in their common forms, as one inclusive
 * range (Slipway's threshold). Argo evaluates any expr-lang expression; only comparisons of the
 * query's result with numbers, joined so that they describe one range, have a threshold that means
 * the same. Anything else is refused with the expression quoted, never guessed.
 */
final class ArgoConditions {
  private ArgoConditions() {}

  /** An inclusive range; a null bound is open. Notes say where the meaning moved. */
  record Range(Double min, Double max, List<String> notes) {}

  /** Why an expression has no threshold. */
  static final class Unmappable extends Exception {
    private static final long serialVersionUID = 1L;

    Unmappable(String why) {
      super(why);
    }
  }

  private static final String RESULT =
      "(?:asFloat\\(|asInt\\()?\\s*result\\s*(?:\\[\\s*0\\s*\\])?\\s*\\)?";
  private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)";
  private static final Pattern RESULT_FIRST =
      Pattern.compile("^" + RESULT + "\\s*(>=|<=|==|>|<)\\s*" + NUMBER + "$");
  private static final Pattern NUMBER_FIRST =
      Pattern.compile("^" + NUMBER + "\\s*(>=|<=|==|>|<)\\s*" + RESULT + "$");
  private static final Pattern NO_DATA =
      Pattern.compile(
          "^(?:isNaN\\(\\s*"
              + RESULT
              + "\\s*\\)|len\\(\\s*result\\s*\\)\\s*==\\s*0|isNil\\(\\s*result\\s*\\)|result\\s*==\\s*nil)$");

  /** The values that pass a successCondition. */
  static Range success(String expr) throws Unmappable {
    List<String> notes = new ArrayList<>();
    String body = strip(expr);
    List<String> alternatives = split(body, "||", " or ");
    List<String> kept = new ArrayList<>();
    for (String a : alternatives) {
      if (NO_DATA.matcher(strip(a)).matches()) {
        notes.add(
            "`"
                + strip(a)
                + "` passes Argo's measurement when there is no data; Slipway never passes on missing data (it is Inconclusive)");
      } else {
        kept.add(a);
      }
    }
    if (kept.size() != 1) {
      throw new Unmappable(
          "successCondition `" + expr.strip() + "` is not one range of result: write a threshold");
    }
    Double min = null;
    Double max = null;
    for (String part : split(strip(kept.get(0)), "&&", " and ")) {
      Comparison c = comparison(part, expr, "successCondition");
      switch (c.op()) {
        case ">=" -> min = tighterMin(min, c.value());
        case ">" -> {
          min = tighterMin(min, c.value());
          notes.add(
              "`result > "
                  + num(c.value())
                  + "` became min "
                  + num(c.value())
                  + ": Slipway's bounds are inclusive");
        }
        case "<=" -> max = tighterMax(max, c.value());
        case "<" -> {
          max = tighterMax(max, c.value());
          notes.add(
              "`result < "
                  + num(c.value())
                  + "` became max "
                  + num(c.value())
                  + ": Slipway's bounds are inclusive");
        }
        default -> {
          min = tighterMin(min, c.value());
          max = tighterMax(max, c.value());
        }
      }
    }
    return new Range(min, max, notes);
  }

  /** The values that do not fail a failureCondition: its complement, as a range. */
  static Range notFailing(String expr) throws Unmappable {
    List<String> notes = new ArrayList<>();
    String body = strip(expr);
    if (split(body, "&&", " and ").size() > 1) {
      throw new Unmappable(
          "failureCondition `"
              + expr.strip()
              + "` fails only when several comparisons hold at once, which is no range: write a threshold");
    }
    Double min = null;
    Double max = null;
    for (String part : split(body, "||", " or ")) {
      if (NO_DATA.matcher(strip(part)).matches()) {
        notes.add(
            "`"
                + strip(part)
                + "` fails Argo's measurement when there is no data; in Slipway missing data is Inconclusive (the canary pauses, it is never promoted)");
        continue;
      }
      Comparison c = comparison(part, expr, "failureCondition");
      switch (c.op()) {
        case "<" -> min = tighterMin(min, c.value());
        case "<=" -> {
          min = tighterMin(min, c.value());
          notes.add(
              "failing `result <= "
                  + num(c.value())
                  + "` became min "
                  + num(c.value())
                  + ": the value "
                  + num(c.value())
                  + " itself now passes (Slipway's bounds are inclusive)");
        }
        case ">" -> max = tighterMax(max, c.value());
        case ">=" -> {
          max = tighterMax(max, c.value());
          notes.add(
              "failing `result >= "
                  + num(c.value())
                  + "` became max "
                  + num(c.value())
                  + ": the value "
                  + num(c.value())
                  + " itself now passes (Slipway's bounds are inclusive)");
        }
        default ->
            throw new Unmappable(
                "failureCondition `" + expr.strip() + "` fails one exact value: write a threshold");
      }
    }
    if (min == null && max == null) {
      throw new Unmappable(
          "failureCondition `" + expr.strip() + "` tests only for missing data: write a threshold");
    }
    return new Range(min, max, notes);
  }

  /**
   * One threshold from both conditions. Argo has a third outcome between them (Inconclusive);
   * Slipway's threshold is one range, so the success range is kept: a value Argo would not have
   * passed never passes here.
   */
  static Range combined(String success, String failure) throws Unmappable {
    Range s = success == null ? null : success(success);
    Range f = failure == null ? null : notFailing(failure);
    if (s == null && f == null) {
      throw new Unmappable(
          "neither successCondition nor failureCondition: Slipway judges a metric by a threshold, write one");
    }
    if (s == null) return f;
    if (f == null) return s;
    List<String> notes = new ArrayList<>(s.notes());
    notes.addAll(f.notes());
    boolean same = Objects.equals(s.min(), f.min()) && Objects.equals(s.max(), f.max());
    if (!same) {
      notes.add(
          "values that pass neither condition were Inconclusive in Argo ("
              + describe(f)
              + " but not "
              + describe(s)
              + "); with the success range as the threshold they fail in Slipway");
    }
    return new Range(s.min(), s.max(), notes);
  }

  private record Comparison(String op, double value) {}

  private static Comparison comparison(String part, String expr, String field) throws Unmappable {
    String p = strip(part);
    Matcher m = RESULT_FIRST.matcher(p);
    if (m.matches()) return new Comparison(m.group(1), Double.parseDouble(m.group(2)));
    m = NUMBER_FIRST.matcher(p);
    if (m.matches()) return new Comparison(flip(m.group(2)), Double.parseDouble(m.group(1)));
    throw new Unmappable(
        field
            + " `"
            + expr.strip()
            + "`: `"
            + p
            + "` is not a comparison of result with a number: write a threshold");
  }

  private static String flip(String op) {
    return switch (op) {
      case ">=" -> "<=";
      case "<=" -> ">=";
      case ">" -> "<";
      case "<" -> ">";
      default -> op;
    };
  }

  /** Splits at top-level operators (outside parentheses). */
  private static List<String> split(String s, String symbol, String word) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (depth == 0 && s.startsWith(symbol, i)) {
        out.add(s.substring(start, i));
        start = i + symbol.length();
        i = start - 1;
      } else if (depth == 0 && s.startsWith(word, i)) {
        out.add(s.substring(start, i));
        start = i + word.length();
        i = start - 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** Trims and drops parentheses around the whole expression. */
  private static String strip(String s) {
    String t = s.strip();
    while (t.startsWith("(") && t.endsWith(")") && closes(t)) {
      t = t.substring(1, t.length() - 1).strip();
    }
    return t;
  }

  /** Whether the first '(' is closed by the last ')'. */
  private static boolean closes(String t) {
    int depth = 0;
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) == '(') depth++;
      else if (t.charAt(i) == ')') depth--;
      if (depth == 0 && i < t.length() - 1) return false;
    }
    return true;
  }

  private static Double tighterMin(Double a, double b) {
    return a == null ? b : Math.max(a, b);
  }

  private static Double tighterMax(Double a, double b) {
    return a == null ? b : Math.min(a, b);
  }

  private static String describe(Range r) {
    if (r.min() != null && r.max() != null) return num(r.min()) + " to " + num(r.max());
    if (r.min() != null) return "at least " + num(r.min());
    return "at most " + num(r.max());
  }

  static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
