package dev.slipway.controller.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a pass spent its time, stage by stage (read, decide, record, act, results, status), for the
 * log line a slow pass leaves: an abort that takes a second must say whether it waited on the
 * record, the route or the status write. One per pass, on its thread.
 */
final class PassStages {
  private final long start = System.nanoTime();
  private long last = start;
  private final List<String> stages = new ArrayList<>();

  void mark(String stage) {
    long now = System.nanoTime();
    stages.add(stage + " " + (now - last) / 1_000_000 + " ms");
    last = now;
  }

  long millis() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public String toString() {
    return String.join(", ", stages);
  }
}
