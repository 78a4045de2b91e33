package dev.slipway.controller.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Seeded property checks on plain JUnit 5 (issue 26 took the property tests off jqwik). Each try
 * draws its case from its own seed, derived from one run seed, so a failure names a seed that
 * replays exactly that case: {@code -Dslipway.seed=<run seed>} replays the whole run. A failing
 * case whose input is a list is shrunk by dropping elements while it still fails, so the report
 * shows a short counterexample. The run seed is random unless pinned, as jqwik's was: each CI run
 * explores new cases, and the seed it printed replays the one that failed.
 */
public final class Seeded {
  /** The system property that pins the run seed. */
  public static final String SEED_PROPERTY = "slipway.seed";

  private Seeded() {}

  /** A drawn case: the seed it came from and the value. */
  public record Case<T>(long seed, T value) {}

  /**
   * Runs {@code check} on {@code tries} values drawn by {@code draw}, each from its own Random.
   *
   * @param runSeed the run's seed, or null for a random one (unless {@link #SEED_PROPERTY} pins it)
   * @return the cases drawn, in order, for tests that check what was drawn
   */
  public static <T> List<Case<T>> forAll(
      String name, Long runSeed, int tries, Function<Random, T> draw, Consumer<T> check) {
    return forAll(name, runSeed, tries, draw, v -> List.of(), check);
  }

  /** As above, shrinking a failing list case by dropping its elements. */
  public static <E> List<Case<List<E>>> forAllLists(
      String name,
      Long runSeed,
      int tries,
      Function<Random, List<E>> draw,
      Consumer<List<E>> check) {
    return forAll(name, runSeed, tries, draw, Seeded::dropOne, check);
  }

  /**
   * The general form.
   *
   * @param smaller the candidates one step smaller than a failing value, tried in order
   */
  public static <T> List<Case<T>> forAll(
      String name,
      Long runSeed,
      int tries,
      Function<Random, T> draw,
      Function<T, List<T>> smaller,
      Consumer<T> check) {
    long run = runSeed(runSeed);
    SplittableRandom seeds = new SplittableRandom(run);
    List<Case<T>> drawn = new ArrayList<>(tries);
    for (int i = 0; i < tries; i++) {
      long seed = seeds.nextLong();
      T value = draw.apply(new Random(seed));
      drawn.add(new Case<>(seed, value));
      Optional<Throwable> failure = failure(check, value);
      if (failure.isPresent()) {
        T least = shrink(value, smaller, check);
        AssertionError e =
            new AssertionError(
                String.format(
                    "%s failed on try %d of %d (run seed %d, -D%s=%d replays it; case seed %d)%n"
                        + "  drawn:  %s%n  shrunk: %s%n  cause: %s",
                    name, i + 1, tries, run, SEED_PROPERTY, run, seed, value, least, failure.get()),
                failure.get());
        throw e;
      }
    }
    return drawn;
  }

  static long runSeed(Long pinned) {
    String property = System.getProperty(SEED_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Long.parseLong(property.trim());
    }
    return pinned != null ? pinned : new SplittableRandom().nextLong();
  }

  private static <T> Optional<Throwable> failure(Consumer<T> check, T value) {
    try {
      check.accept(value);
      return Optional.empty();
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError) {
        throw (VirtualMachineError) t;
      }
      return Optional.of(t);
    }
  }

  /** Greedy: take the first smaller candidate that still fails, until none does. */
  private static <T> T shrink(T value, Function<T, List<T>> smaller, Consumer<T> check) {
    T least = value;
    for (int rounds = 0; rounds < 200; rounds++) {
      T next = null;
      for (T candidate : smaller.apply(least)) {
        if (failure(check, candidate).isPresent()) {
          next = candidate;
          break;
        }
      }
      if (next == null) {
        return least;
      }
      least = next;
    }
    return least;
  }

  /** Every list one element shorter than {@code list}. */
  public static <E> List<List<E>> dropOne(List<E> list) {
    List<List<E>> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      List<E> shorter = new ArrayList<>(list);
      shorter.remove(i);
      out.add(List.copyOf(shorter));
    }
    return out;
  }

  /** One of {@code choices}, each as likely. */
  @SafeVarargs
  public static <T> T oneOf(Random rnd, T... choices) {
    return choices[rnd.nextInt(choices.length)];
  }

  /** A list of 0..max elements (min..max), each drawn by {@code element}. */
  public static <E> List<E> listOf(Random rnd, int min, int max, Function<Random, E> element) {
    int n = min + rnd.nextInt(max - min + 1);
    List<E> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.apply(rnd));
    }
    return List.copyOf(out);
  }

  /** An int in [min, max]. */
  public static int between(Random rnd, int min, int max) {
    return min + rnd.nextInt(max - min + 1);
  }
}
