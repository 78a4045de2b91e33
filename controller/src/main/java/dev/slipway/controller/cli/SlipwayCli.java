package dev.slipway.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl slipway}: the plugin's entry point. Exit codes: 0 success, 1 the check failed
 * (verify found a bad entry, status is not healthy), 2 usage or connection error.
 */
@Command(name = "kubectl-slipway", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "slipway " + VersionCommand.CLIENT,
    description = "Watch and steer Slipway Rollouts; export and verify their evidence.",
    subcommands = {GetCommand.class, ListCommand.class, StatusCommand.class,
        RequestCommands.Pause.class, RequestCommands.Resume.class, RequestCommands.Promote.class, RequestCommands.Abort.class,
        RequestCommands.Retry.class, UndoCommand.class, EvidenceCommand.class, DoraCommand.class, VersionCommand.class,
        CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class, CompleteCommand.class})
public final class SlipwayCli {

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SlipwayCli());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      String why = ex instanceof java.nio.file.NoSuchFileException ? "no such file: " + ex.getMessage()
          : ex instanceof io.fabric8.kubernetes.client.KubernetesClientException k ? Errors.plain(k)
          : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
      cmd.getErr().println("error: " + why);
      return 2;
    });
    cl.setExitCodeExceptionMapper(ex -> 2);
    // Completion receives whatever was typed, flags included.
    cl.getSubcommands().get("__complete").setUnmatchedOptionsArePositionalParams(true);
    cl.getSubcommands().get("__complete").setUnmatchedArgumentsAllowed(true);
    return cl;
  }

  public static void main(String[] args) {
    System.exit(run(commandLine(), args));
  }

  /** Runs a command line the way the plugin does: global flags may come before the subcommand. */
  public static int run(CommandLine cl, String... args) {
    return cl.execute(GlobalFlags.normalize(args));
  }
}
