package dev.slipway.e2e.tools;

import dev.slipway.e2e.cluster.Crds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands of the README's first screen, read from the README itself, so the tests that run
 * them run what a newcomer copies. A section is a {@code ## heading}; its commands are the lines of
 * its {@code ```bash} blocks, without trailing {@code # comments}.
 */
public final class Readme {
  private Readme() {}

  /** The commands under {@code ## heading}, in order. */
  public static List<String> commands(String heading) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Crds.repoRoot().resolve("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    boolean inSection = false;
    boolean inBlock = false;
    for (String line : lines) {
      if (line.startsWith("## ") || line.startsWith("# ")) {
        inSection = line.equals("## " + heading);
        continue;
      }
      if (!inSection) continue;
      if (line.startsWith("```")) {
        inBlock = !inBlock && line.equals("```bash");
        continue;
      }
      if (inBlock) {
        String command = line.replaceFirst("\\s+#\\s.*$", "").strip();
        if (!command.isEmpty() && !command.startsWith("#")) out.add(command);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("README.md has no ```bash commands under ## " + heading);
    }
    return out;
  }

  /** The one command of {@code heading} that starts with {@code prefix}. */
  public static String command(String heading, String prefix) {
    List<String> found = commands(heading).stream().filter(c -> c.startsWith(prefix)).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(
          "README.md ## " + heading + ": expected one command starting " + prefix + ": " + found);
    }
    return found.get(0);
  }

  /**
   * The command as run here: each placeholder the README names (REGISTRY, cosign.key, …) replaced
   * by this machine's value, then the flags only this machine needs appended (a plain-HTTP registry
   * on 127.0.0.1, the local cluster's values). Both are printed by the caller, so the difference
   * from the README is on record.
   */
  public static String local(String command, Map<String, String> placeholders, String additions) {
    String out = command;
    for (var e : placeholders.entrySet()) {
      if (!out.contains(e.getKey())) {
        throw new IllegalStateException(
            "README command has no " + e.getKey() + " any more: " + command);
      }
      out = out.replace(e.getKey(), e.getValue());
    }
    return additions.isEmpty() ? out : out + " " + additions;
  }
}
