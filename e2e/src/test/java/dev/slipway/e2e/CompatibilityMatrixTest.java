package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.cluster.Crds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/compatibility.md names the versions the build scripts actually build and test. */
class CompatibilityMatrixTest {
  @Test
  void everyVersionInTheMatrixIsTheOneItsScriptBuilds() throws IOException {
    Path root = Crds.repoRoot();
    String doc = Files.readString(root.resolve("docs/compatibility.md"));
    Matcher row =
        Pattern.compile("(?m)^\\| [^|]+ \\| ([0-9][0-9.]*) \\| `([^`]+)`, `([A-Z_]+)` \\|$")
            .matcher(doc);
    List<String> checked = new ArrayList<>();
    while (row.find()) {
      String script = Files.readString(root.resolve(row.group(2)));
      Matcher def =
          Pattern.compile(row.group(3) + "=\"\\$\\{" + row.group(3) + ":-([^}]+)}\"")
              .matcher(script);
      assertTrue(def.find(), row.group(2) + " defines no default " + row.group(3));
      assertEquals(def.group(1), row.group(1), row.group(3) + " in " + row.group(2));
      checked.add(row.group(3) + "=" + row.group(1));
    }
    assertTrue(checked.size() >= 7, "rows checked: " + checked);
    System.out.println("compatibility matrix agrees with the build scripts: " + checked);
  }
}
