package dev.slipway.analysis.provider;

/**
 * Text that came from a provider (an error body, a connection error) on its way into status,
 * Events and signed evidence: control and formatting characters become spaces, whitespace runs
 * collapse, and it is cut to a bound, so an upstream can neither flood nor forge those records.
 */
public final class UpstreamText {
  public static final int MAX = 200;

  private UpstreamText() {}

  public static String clean(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").strip();
    return one.length() > MAX ? one.substring(0, MAX - 1) + "…" : one;
  }
}
