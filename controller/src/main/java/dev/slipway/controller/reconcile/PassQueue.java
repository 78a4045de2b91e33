package dev.slipway.controller.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.Field;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile executor JOSDK hands each pass to, ordered by {@link Urgency} instead of arrival: a
 * pass with a manual request (an abort) runs on a lane of its own, never behind other work; a
 * revision in flight runs before settled Rollouts; passes of equal urgency keep their order. A
 * restart queues a pass for every Rollout at once, and a burst of canaries fills every thread with
 * slow passes: neither delays an abort. JOSDK still runs at most one pass per Rollout at a time.
 *
 * <p>JOSDK's task names its Rollout only in a private field (resourceID); when a JOSDK version
 * lacks it, every pass is ranked {@link Urgency#ACTIVE} (arrival order, as before) and this says so
 * once ({@code PassQueueTest} fails first).
 */
public final class PassQueue extends ThreadPoolExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(PassQueue.class);
  static final String JOSDK_TASK =
      "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor";

  private final ThreadPoolExecutor requests;
  private final Function<Runnable, ResourceID> idOf;
  private final AtomicLong arrivals = new AtomicLong();
  private volatile Function<ResourceID, Urgency> urgency = id -> Urgency.ACTIVE;

  /**
   * @param threads passes at a time for queued work (JOSDK's default is 50)
   * @param requestThreads the lane kept for passes with a request pending
   */
  public PassQueue(int threads, int requestThreads) {
    this(threads, requestThreads, Tasks::resource);
  }

  /** With {@code idOf} naming the Rollout of each task (tests name their own tasks). */
  PassQueue(int threads, int requestThreads, Function<Runnable, ResourceID> idOf) {
    super(
        threads,
        threads,
        1,
        TimeUnit.MINUTES,
        new PriorityBlockingQueue<>(1024, PassQueue::compare),
        named("reconciler"));
    this.requests =
        new ThreadPoolExecutor(
            requestThreads,
            requestThreads,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            named("reconciler-request"));
    this.idOf = idOf;
  }

  /** From now on, rank passes by the Rollout the informer holds (unknown Rollouts: ACTIVE). */
  public void rankWith(Function<ResourceID, Urgency> urgency) {
    this.urgency = urgency;
  }

  @Override
  public void execute(Runnable task) {
    if (task instanceof Ranked) {
      super.execute(task);
      return;
    }
    ResourceID id = idOf.apply(task);
    Urgency u = id == null ? Urgency.ACTIVE : rank(id);
    if (u == Urgency.REQUEST) {
      requests.execute(task);
    } else {
      super.execute(new Ranked(task, id, u, arrivals.incrementAndGet()));
    }
  }

  /**
   * A request arrived for a Rollout whose pass is already queued behind others: move that pass to
   * the request lane (it reads the latest copy of the Rollout when it runs).
   */
  public void promote(ResourceID id) {
    for (Runnable queued : getQueue()) {
      if (queued instanceof Ranked r && id.equals(r.id()) && getQueue().remove(r)) {
        requests.execute(r.task());
        return;
      }
    }
  }

  @Override
  public void shutdown() {
    requests.shutdown();
    super.shutdown();
  }

  @Override
  public java.util.List<Runnable> shutdownNow() {
    requests.shutdownNow();
    return super.shutdownNow();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    return super.awaitTermination(timeout, unit)
        && requests.awaitTermination(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private Urgency rank(ResourceID id) {
    try {
      return urgency.apply(id);
    } catch (RuntimeException e) {
      return Urgency.ACTIVE;
    }
  }

  private static int compare(Runnable a, Runnable b) {
    Ranked x = (Ranked) a;
    Ranked y = (Ranked) b;
    int c = x.urgency().compareTo(y.urgency());
    return c != 0 ? c : Long.compare(x.arrival(), y.arrival());
  }

  /** A queued pass with its rank and arrival. */
  record Ranked(Runnable task, ResourceID id, Urgency urgency, long arrival) implements Runnable {
    @Override
    public void run() {
      task.run();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Reads the Rollout a JOSDK task is for. */
  static final class Tasks {
    private static final Field RESOURCE = field();

    private Tasks() {}

    static ResourceID resource(Runnable task) {
      if (RESOURCE == null || !RESOURCE.getDeclaringClass().isInstance(task)) return null;
      try {
        return (ResourceID) RESOURCE.get(task);
      } catch (IllegalAccessException | ClassCastException e) {
        return null;
      }
    }

    static boolean recognised() {
      return RESOURCE != null;
    }

    private static Field field() {
      try {
        Field f = Class.forName(JOSDK_TASK).getDeclaredField("resourceID");
        f.setAccessible(true);
        return f;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn(
            "this JOSDK version's reconcile task does not name its resource ({}): passes run in arrival order",
            e.toString());
        return null;
      }
    }
  }
}
