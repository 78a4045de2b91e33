package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PassQueueTest {

  /** A task that names its Rollout, as JOSDK's does. */
  record Pass(ResourceID id, Runnable body) implements Runnable {
    @Override
    public void run() {
      body.run();
    }
  }

  @Test
  void josdksTaskStillNamesItsResource() {
    // The queue ranks JOSDK's tasks by a private field; a JOSDK upgrade that renames it fails here.
    assertTrue(PassQueue.Tasks.recognised(), PassQueue.JOSDK_TASK + " has no field resourceID");
  }

  @Test
  void requestsRunAtOnceAndQueuedPassesRunByUrgencyThenArrival() throws Exception {
    Map<String, Urgency> rank =
        Map.of(
            "busy", Urgency.ACTIVE,
            "settled-1", Urgency.SETTLED,
            "canary", Urgency.ACTIVE,
            "settled-2", Urgency.SETTLED,
            "abort", Urgency.REQUEST);
    PassQueue q = new PassQueue(1, 1, t -> ((Pass) t).id());
    q.rankWith(id -> rank.get(id.getName()));
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);
    try {
      // The only thread is busy; three passes queue behind it.
      q.execute(pass("busy", ran, () -> await(release)));
      for (String n : List.of("settled-1", "canary", "settled-2")) q.execute(pass(n, ran, null));
      // An abort does not wait for the busy thread.
      q.execute(pass("abort", ran, aborted::countDown));
      assertTrue(aborted.await(5, TimeUnit.SECONDS), "the abort ran while every thread was busy");
      release.countDown();
      q.shutdown();
      assertTrue(q.awaitTermination(5, TimeUnit.SECONDS));
      assertEquals(List.of("abort", "busy", "canary", "settled-1", "settled-2"), ran);
    } finally {
      q.shutdownNow();
    }
  }

  @Test
  void aRequestForAQueuedPassMovesItToTheRequestLane() throws Exception {
    PassQueue q = new PassQueue(1, 1, t -> ((Pass) t).id());
    q.rankWith(id -> Urgency.SETTLED);
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch promoted = new CountDownLatch(1);
    try {
      q.execute(pass("busy", ran, () -> await(release)));
      q.execute(pass("other", ran, null));
      q.execute(pass("aborted-later", ran, promoted::countDown));
      q.promote(new ResourceID("aborted-later", "ns"));
      assertTrue(promoted.await(5, TimeUnit.SECONDS), "the promoted pass ran beside the busy one");
      release.countDown();
      q.shutdown();
      assertTrue(q.awaitTermination(5, TimeUnit.SECONDS));
      assertEquals(List.of("aborted-later", "busy", "other"), ran);
    } finally {
      q.shutdownNow();
    }
  }

  private static Pass pass(String name, List<String> ran, Runnable then) {
    return new Pass(
        new ResourceID(name, "ns"),
        () -> {
          if (!"busy".equals(name)) ran.add(name);
          if (then != null) then.run();
          if ("busy".equals(name)) ran.add(name);
        });
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
