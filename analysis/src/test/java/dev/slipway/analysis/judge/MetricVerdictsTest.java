package dev.slipway.analysis.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.spec.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricVerdictsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** S=Successful F=Failed I=Inconclusive E=Error. */
  static List<Measurement> seq(String s) {
    List<Measurement> out = new ArrayList<>();
    for (char c : s.toCharArray()) {
      Verdict v =
          switch (c) {
            case 'S' -> Verdict.Successful;
            case 'F' -> Verdict.Failed;
            case 'I' -> Verdict.Inconclusive;
            case 'E' -> Verdict.Error;
            default -> throw new IllegalArgumentException();
          };
      out.add(
          new Measurement(
              "m",
              v,
              "r" + out.size(),
              null,
              null,
              "",
              "q",
              null,
              "60s",
              "p",
              null,
              null,
              T0,
              T0,
              false));
    }
    return out;
  }

  static Schedule s(int count, int failureLimit, int inconclusiveLimit, int errorLimit) {
    return Schedule.every(Duration.ofSeconds(10), count)
        .withLimits(failureLimit, inconclusiveLimit, errorLimit);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("nothing yet", s(3, 0, 0, 4), "", Verdict.Running),
        Arguments.of("two of three", s(3, 0, 0, 4), "SS", Verdict.Running),
        Arguments.of("all good", s(3, 0, 0, 4), "SSS", Verdict.Successful),
        Arguments.of("first failure ends it", s(3, 0, 0, 4), "F", Verdict.Failed),
        Arguments.of("failure within limit", s(3, 1, 0, 4), "SFS", Verdict.Successful),
        Arguments.of("failure past limit", s(5, 1, 0, 4), "SFF", Verdict.Failed),
        Arguments.of("inconclusive ends it", s(3, 0, 0, 4), "SI", Verdict.Inconclusive),
        Arguments.of("inconclusive within limit", s(3, 0, 1, 4), "ISS", Verdict.Successful),
        Arguments.of("failure within limit, last", s(3, 1, 0, 4), "SSF", Verdict.Successful),
        Arguments.of("errors within limit", s(4, 0, 0, 2), "ESES", Verdict.Successful),
        Arguments.of("an error blip forgiven", s(3, 0, 0, 2), "SES", Verdict.Successful),
        Arguments.of("provider lost at the end", s(3, 0, 0, 5), "SEE", Verdict.Error),
        Arguments.of("traffic gone at the end", s(3, 0, 5, 5), "SSI", Verdict.Inconclusive),
        Arguments.of("consecutive errors past limit", s(10, 0, 0, 2), "SEEE", Verdict.Error),
        Arguments.of("all errors is never success", s(3, 0, 0, 4), "EEE", Verdict.Error),
        Arguments.of(
            "all inconclusive within limit is never success",
            s(2, 0, 5, 4),
            "II",
            Verdict.Inconclusive),
        Arguments.of("errors and inconclusive only", s(2, 0, 5, 4), "EI", Verdict.Inconclusive),
        Arguments.of("zero error tolerance", s(3, 0, 0, 0), "E", Verdict.Error));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void evaluates(String name, Schedule schedule, String measurements, Verdict want) {
    assertEquals(want, MetricVerdicts.evaluate(schedule, seq(measurements)).verdict());
  }
}
