package dev.slipway.controller.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl slipway}: the plugin's entry point. Exit codes: 0 success, 1 the check failed
 * (verify found a bad entry, status is not healthy), 2 usage or connection error.
 */
@Command(
    name = "kubectl-slipway",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "Watch and steer Slipway Rollouts; export and verify their evidence.")
public final class SlipwayCli {
  /**
   * The subcommands by name, in help order. Built on demand: picocli reads every annotation of a
   * command it builds, and a person waiting for {@code list} should not pay for all the others.
   */
  static final Map<String, Class<?>> SUBCOMMANDS =
      subcommands(
          GetCommand.class,
          ListCommand.class,
          StatusCommand.class,
          RequestCommands.Pause.class,
          RequestCommands.Resume.class,
          RequestCommands.Promote.class,
          RequestCommands.Abort.class,
          RequestCommands.Retry.class,
          RequestCommands.Restart.class,
          UndoCommand.class,
          SetCommand.class,
          LintCommand.class,
          ConvertCommand.class,
          EvidenceCommand.class,
          ReleaseCommand.class,
          DoraCommand.class,
          DashboardCommand.class,
          VersionCommand.class,
          CommandLine.HelpCommand.class,
          picocli.AutoComplete.GenerateCompletion.class,
          CompleteCommand.class,
          TrainCommand.class);

  private static Map<String, Class<?>> subcommands(Class<?>... classes) {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    for (Class<?> c : classes) out.put(c.getAnnotation(Command.class).name(), c);
    return out;
  }

  /** The whole command tree (help, completion, tests). */
  public static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS.keySet());
  }

  /** The tree for one invocation: only the subcommand it names, when it names one. */
  static CommandLine forArgs(String[] args) {
    List<String> words = GlobalFlags.withoutFlags(args);
    String first = words.isEmpty() ? null : words.get(0);
    boolean plain =
        first != null
            && SUBCOMMANDS.containsKey(first)
            && !List.of("help", "generate-completion", "__complete", "__train").contains(first);
    return plain ? commandLine(List.of(first)) : commandLine();
  }

  private static CommandLine commandLine(Collection<String> names) {
    CommandLine cl = new CommandLine(new SlipwayCli());
    for (String n : names) cl.addSubcommand(n, SUBCOMMANDS.get(n));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          String why =
              ex instanceof NoSuchFileException
                  ? "no such file: " + ex.getMessage()
                  : ex instanceof KubernetesClientException k
                      ? Errors.plain(k)
                      : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
          cmd.getErr().println("error: " + why);
          return 2;
        });
    cl.setExitCodeExceptionMapper(ex -> 2);
    // Completion receives whatever was typed, flags included.
    CommandLine complete = cl.getSubcommands().get("__complete");
    if (complete != null) {
      complete.setUnmatchedOptionsArePositionalParams(true);
      complete.setUnmatchedArgumentsAllowed(true);
    }
    return cl;
  }

  public static void main(String[] args) {
    System.exit(run(forArgs(args), args));
  }

  /** Runs a command line the way the plugin does: global flags may come before the subcommand. */
  public static int run(CommandLine cl, String... args) {
    return cl.execute(GlobalFlags.normalize(args));
  }
}
