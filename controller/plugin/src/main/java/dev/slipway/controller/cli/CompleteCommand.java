package dev.slipway.controller.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * kubectl's plugin completion protocol (kubectl 1.26+): kubectl runs kubectl_complete-slipway with
 * the words typed so far, the last one partial, and reads one candidate per line, then ":4" (no
 * file completion). Subcommands and flags come from the command model; Rollout names from the
 * cluster.
 */
@Command(name = "__complete", hidden = true)
public final class CompleteCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..*")
  List<String> words = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> typed = words.isEmpty() ? List.of("") : words;
    String partial = typed.get(typed.size() - 1);
    CommandLine cmd = spec.root().commandLine();
    for (String word :
        GlobalFlags.withoutFlags(typed.subList(0, typed.size() - 1).toArray(String[]::new))) {
      CommandLine sub = cmd.getSubcommands().get(word);
      if (sub == null) break;
      cmd = sub;
    }
    List<String> candidates = new ArrayList<>();
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden() && name.startsWith(partial))
                candidates.add(name);
            });
    if (partial.startsWith("-")) {
      cmd.getCommandSpec()
          .options()
          .forEach(
              o -> {
                for (String n : o.names()) if (n.startsWith(partial)) candidates.add(n);
              });
    } else if (candidates.isEmpty() && !cmd.getCommandSpec().positionalParameters().isEmpty()) {
      // The namespace, context and kubeconfig typed so far, as kubectl's own completion honours
      // them.
      KubeOptions kube = GlobalFlags.from(typed.subList(0, typed.size() - 1));
      try (KubernetesClient client = kube.client()) {
        ListCommand.names(client, kube.namespace(client)).stream()
            .filter(n -> n.startsWith(partial))
            .forEach(candidates::add);
      } catch (RuntimeException e) {
        // no cluster: no names to offer
      }
    }
    candidates.forEach(out::println);
    out.println(":4");
    out.flush();
    return 0;
  }
}
