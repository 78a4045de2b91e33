package dev.slipway.controller.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convert}: Argo Rollouts manifests (Rollout, AnalysisTemplate, ClusterAnalysisTemplate) as
 * Slipway's, with every field it could not carry over, or carried over with another meaning, listed
 * by path. Other documents (Services, HTTPRoutes) pass through unchanged. Offline: it reads files,
 * never a cluster. Exit 0 when every field was mapped, 1 when some were not (the output is still
 * written), 2 on a usage error.
 */
@Command(
    name = "convert",
    description =
        "Convert Argo Rollouts manifests in FILE (- for stdin) to Slipway's; list what could not be mapped.")
public final class ConvertCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", description = "Argo Rollouts manifests (YAML), or - for stdin.")
  List<String> files;

  @Option(
      names = {"-o", "--output"},
      description = "Write the converted manifests to this file instead of stdout.")
  Path output;

  /** Plain YAML, quoting only what would otherwise read as another type. */
  static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<String> docs = new ArrayList<>();
    int unmapped = 0;
    int notes = 0;
    for (String file : files) {
      String text =
          file.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(file));
      int n = 0;
      for (String yaml : LintCommand.documents(text)) {
        n++;
        Map<String, Object> raw = Serialization.unmarshal(yaml, Map.class);
        if (raw == null || raw.isEmpty()) continue;
        ArgoConverter.Result r = ArgoConverter.convert(raw);
        String where = file + (n > 1 ? " #" + n : "") + " " + r.what();
        StringBuilder header = new StringBuilder();
        for (ArgoConverter.Note note : r.notes()) {
          err.println(where + ": " + note);
          header.append("# ").append(note).append('\n');
          notes++;
        }
        if (r.unmapped()) unmapped++;
        if (r.output() != null) {
          docs.add(header + YAML.writeValueAsString(r.output()));
        }
      }
    }
    String all = String.join("---\n", docs);
    if (output != null) {
      Files.writeString(output, all);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(all);
      out.flush();
    }
    err.println(
        docs.size()
            + " document(s) written; "
            + notes
            + " note(s); "
            + (unmapped == 0
                ? "every field mapped"
                : unmapped + " document(s) with fields not mapped (listed above)"));
    err.flush();
    return unmapped == 0 ? 0 : 1;
  }
}
