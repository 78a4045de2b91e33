package dev.slipway.e2e.bench.decision;

/** A way of judging a canary, fed one second of traffic at a time; it rolls back at most once. */
interface Rule {
  String name();

  /** After {@code t} seconds of traffic (the histories hold seconds 0 .. t-1). */
  void after(int t, History canary, History baseline);

  /** The second at which it rolled back, or -1 while it has not. */
  int rolledBackAt();
}
