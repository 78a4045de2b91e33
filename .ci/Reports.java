import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads every Surefire and Failsafe report under the repository after `mvn verify` and says what
 * the run was: tests, failures and skips per module, the ten slowest test classes with their
 * times, when each long e2e class ran and on which thread, and every skipped test. It exits 1
 * when a test was skipped that .ci/allowed-skips does not name (each entry there has its reason),
 * so CI cannot be green with scenarios quietly skipped.
 *
 * <pre>java .ci/Reports.java [repo root]</pre>
 */
public class Reports {
  record Suite(String module, String name, double seconds, int tests, int failures, int errors, int skipped) {}

  record Skip(String testClass, String method, String why) {
    String id() {
      return testClass + "#" + method;
    }
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    List<Suite> suites = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    try (Stream<Path> files = Files.find(root, 6, (p, a) -> p.getFileName().toString().matches("TEST-.*\\.xml")
        && p.getParent().getFileName().toString().matches("(surefire|failsafe)-reports"))) {
      for (Path f : files.sorted().toList()) read(root, f, suites, skips);
    }
    if (suites.isEmpty()) {
      System.out.println("reports: no Surefire or Failsafe reports under " + root);
      System.exit(1);
    }

    Map<String, int[]> byModule = new LinkedHashMap<>();
    for (Suite s : suites) {
      int[] t = byModule.computeIfAbsent(s.module(), m -> new int[5]);
      t[0] += s.tests();
      t[1] += s.failures() + s.errors();
      t[2] += s.skipped();
      t[3] += (int) Math.round(s.seconds());
    }
    System.out.println("tests by module (tests, failed, skipped, seconds in test classes):");
    byModule.forEach((m, t) -> System.out.printf(Locale.ROOT, "  %-12s %5d %4d %4d %6d s%n", m, t[0], t[1], t[2], t[3]));

    System.out.println("the ten slowest test classes:");
    suites.stream().sorted(Comparator.comparingDouble(Suite::seconds).reversed()).limit(10)
        .forEach(s -> System.out.printf(Locale.ROOT, "  %7.1f s  %s (%s, %d tests)%n", s.seconds(), simple(s.name()), s.module(), s.tests()));

    // When each long class ran and on which thread (dev.slipway.testing.ClassTimeline): the run's critical path.
    Path timeline = root.resolve("e2e/target/test-timeline.txt");
    if (Files.exists(timeline)) {
      System.out.println("e2e classes over 10 s (start, end, seconds since the test JVM started; result; thread):");
      for (String line : Files.readAllLines(timeline)) {
        String[] f = line.strip().split("\\s+");
        if (!line.startsWith("#") && f.length > 2 && number(f[2]) > 10) System.out.println("  " + line.strip());
      }
    }

    List<String[]> allowed = allowed(root.resolve(".ci/allowed-skips"));
    List<Skip> unexplained = new ArrayList<>();
    for (Skip s : skips) {
      String[] entry = allowed.stream().filter(a -> a[0].equals(s.testClass()) || a[0].equals(s.id())
          || a[0].equals(simple(s.testClass())) || a[0].equals(simple(s.testClass()) + "#" + s.method())).findFirst().orElse(null);
      if (entry == null) {
        unexplained.add(s);
      } else {
        System.out.printf("skipped, allowed (%s): %s: %s%n", entry[1], s.id(), s.why());
      }
    }
    for (Skip s : unexplained) {
      System.out.printf("SKIPPED, NOT ALLOWED: %s: %s%n", s.id(), s.why());
    }
    if (!unexplained.isEmpty()) {
      System.out.printf("reports: %d skipped tests are not on .ci/allowed-skips; a skip in CI hides a scenario that did not run%n",
          unexplained.size());
      System.exit(1);
    }
    System.out.printf("reports: %d test classes, %d tests, %d skipped (all allowed)%n", suites.size(),
        suites.stream().mapToInt(Suite::tests).sum(), skips.size());
  }

  static void read(Path root, Path file, List<Suite> suites, List<Skip> skips) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element suite = f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    String module = root.relativize(file).getName(0).toString();
    suites.add(new Suite(module, suite.getAttribute("name"), number(suite.getAttribute("time")), (int) number(suite.getAttribute("tests")),
        (int) number(suite.getAttribute("failures")), (int) number(suite.getAttribute("errors")), (int) number(suite.getAttribute("skipped"))));
    NodeList cases = suite.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      NodeList skipped = c.getElementsByTagName("skipped");
      if (skipped.getLength() > 0) {
        Element skip = (Element) skipped.item(0);
        // JUnit's assumptions leave the message attribute empty; their reason is the stack trace's first line.
        String why = skip.getAttribute("message");
        if (why.isEmpty()) why = skip.getTextContent().strip().lines().findFirst().orElse("").replaceFirst("^[\\w.$]+Exception: ", "");
        skips.add(new Skip(c.getAttribute("classname"), c.getAttribute("name"), why.isEmpty() ? "(no reason given)" : why));
      }
    }
  }

  /** Entries of the allow-list: "Class[#method]  reason", one a line; # starts a comment line. */
  static List<String[]> allowed(Path file) throws IOException {
    List<String[]> out = new ArrayList<>();
    if (!Files.exists(file)) return out;
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] parts = l.split("\\s+", 2);
      if (parts.length < 2) {
        throw new IllegalArgumentException(file + ": an entry needs its reason: " + line);
      }
      out.add(parts);
    }
    return out;
  }

  static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  static double number(String s) {
    if (s == null || s.isBlank()) return 0;
    return Double.parseDouble(s.replace(",", ""));
  }
}
