package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.MemberStatus;
import dev.slipway.api.v1alpha1.Release;
import dev.slipway.api.v1alpha1.ReleaseRequest;
import dev.slipway.api.v1alpha1.ReleaseStatus;
import dev.slipway.api.v1alpha1.WaveStatus;
import dev.slipway.controller.kube.Identity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl slipway release}: a fleet release on the hub. {@code get NAME [--watch]} shows its
 * waves, clusters and each member Rollout's state; {@code pause}, {@code resume} and {@code abort}
 * send a request through the status subresource, as the Rollout commands do.
 */
@Command(
    name = "release",
    description = "Show or steer a fleet release (on the hub cluster).",
    subcommands = {
      ReleaseCommand.Get.class,
      ReleaseCommand.Export.class,
      ReleaseCommand.Pause.class,
      ReleaseCommand.Resume.class,
      ReleaseCommand.Abort.class
    })
public final class ReleaseCommand {
  private ReleaseCommand() {}

  /** The release for people: phase, each wave and its members, conditions that are not true. */
  static String render(Release r) {
    ReleaseStatus s = r.getStatus() == null ? ReleaseStatus.empty() : r.getStatus();
    StringBuilder b = new StringBuilder();
    b.append("Release ")
        .append(r.getMetadata().getNamespace())
        .append('/')
        .append(r.getMetadata().getName())
        .append("  ")
        .append(r.getSpec().revision().image())
        .append('\n');
    b.append("Phase:   ")
        .append(s.phase() == null ? "(not seen by a hub yet)" : s.phase())
        .append(s.wave() == null ? "" : "  wave " + s.wave())
        .append('\n');
    if (s.message() != null) b.append("Message: ").append(s.message()).append('\n');
    if (s.halt() != null) {
      b.append("Halted:  ")
          .append(s.halt().cluster())
          .append(':')
          .append(s.halt().namespace())
          .append('/')
          .append(s.halt().rollout())
          .append(" rolled back in wave ")
          .append(s.halt().wave())
          .append("; its record head ")
          .append(s.halt().recordHead())
          .append('\n');
    }
    for (WaveStatus w : s.wavesOrEmpty()) {
      b.append(String.format("%nWave %-16s %-8s", w.name(), w.state()));
      if (w.passedAt() != null) b.append(" passed ").append(w.passedAt());
      else if (w.openedAt() != null) b.append(" opened ").append(w.openedAt());
      b.append('\n');
      for (MemberStatus m : w.membersOrEmpty()) {
        b.append(
            String.format(
                "  %-12s %-28s %-14s %s%s%n",
                m.cluster(),
                m.namespace() + "/" + m.rollout(),
                m.state(),
                Boolean.TRUE.equals(m.verified())
                    ? "verified "
                    : Boolean.FALSE.equals(m.verified()) ? "NOT VERIFIED " : "",
                m.recordHead() == null ? "" : m.recordHead()));
      }
    }
    for (Condition c : s.conditionsOrEmpty()) {
      if (!"True".equals(c.status())) {
        b.append("\nCondition ")
            .append(c.type())
            .append(' ')
            .append(c.status())
            .append(" (")
            .append(c.reason())
            .append("): ")
            .append(c.message())
            .append('\n');
      }
    }
    if (s.lastAction() != null) {
      b.append("\nLast request: ")
          .append(s.lastAction().action())
          .append(" by ")
          .append(s.lastAction().requestedBy())
          .append(": ")
          .append(s.lastAction().result())
          .append('\n');
    }
    return b.toString();
  }

  @Command(name = "get", description = "Show a release; --watch redraws it on every change.")
  static final class Get implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Release.")
    String name;

    @Option(
        names = {"-w", "--watch"},
        description = "Keep watching; redraw on every change (Ctrl-C to stop).")
    boolean watch;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        Release r = client.resources(Release.class).inNamespace(ns).withName(name).get();
        if (r == null) {
          throw new IllegalArgumentException("release " + ns + "/" + name + " not found");
        }
        out.print(render(r));
        out.flush();
        if (!watch) return 0;
        Redraw.untilGone(
            client.resources(Release.class).inNamespace(ns).withName(name),
            r,
            "release " + name,
            out,
            ReleaseCommand::render);
        return 0;
      }
    }
  }

  @Command(
      name = "export",
      description =
          "Export the hub's signed record of a release (JSON): each wave opened and passed with the member record heads it verified, a halt with the failing member's head, each request. Verify it with kubectl slipway evidence verify FILE --public-key HUB.pem --member CLUSTER=EXPORT ...")
  static final class Export implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Release.")
    String name;

    @Option(
        names = {"-f", "--file"},
        description = "Write to this file instead of standard output.")
    java.nio.file.Path file;

    @Option(
        names = "--controller-namespace",
        defaultValue = "slipway-system",
        description = "Where the hub's public key is published.")
    String controllerNamespace;

    @Override
    public Integer call() throws Exception {
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        String recordName = "release-" + name;
        dev.slipway.api.v1alpha1.RolloutRecord rec =
            client
                .resources(dev.slipway.api.v1alpha1.RolloutRecord.class)
                .inNamespace(ns)
                .withName(recordName)
                .get();
        if (rec == null) {
          throw new IllegalArgumentException(
              "no hub record " + ns + "/" + recordName + ": has a hub seen release " + name + "?");
        }
        var cm =
            client
                .configMaps()
                .inNamespace(controllerNamespace)
                .withName("slipway-evidence-public-key")
                .get();
        String pem = cm == null || cm.getData() == null ? null : cm.getData().get("public.pem");
        String out =
            dev.slipway.controller.evidence.Exports.json(
                dev.slipway.controller.evidence.ExportDocument.of(
                    name,
                    ns,
                    rec.getSpec().revision(),
                    rec.getSpec().attempt(),
                    rec.getSpec().keyId(),
                    pem,
                    rec.getSpec().entriesOrEmpty()));
        if (file != null) {
          java.nio.file.Files.writeString(file, out);
          spec.commandLine()
              .getErr()
              .println(
                  "wrote "
                      + rec.getSpec().entriesOrEmpty().size()
                      + " entries of release "
                      + name
                      + " to "
                      + file);
        } else {
          spec.commandLine().getOut().print(out);
          spec.commandLine().getOut().flush();
        }
        return 0;
      }
    }
  }

  abstract static class Request implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Release.")
    String name;

    abstract ReleaseRequest.Action action();

    @Override
    public Integer call() {
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        String who = Identity.of(client);
        client
            .resources(Release.class)
            .inNamespace(ns)
            .withName(name)
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager("kubectl-slipway")
                    .build(),
                RequestCommands.patch(
                    dev.slipway.api.v1alpha1.RequestAction.valueOf(action().name()),
                    "unknown".equals(who) ? null : who));
        spec.commandLine()
            .getOut()
            .println("release " + ns + "/" + name + ": " + action() + " requested");
        return 0;
      }
    }
  }

  @Command(name = "pause", description = "No further wave opens until resumed.")
  static final class Pause extends Request {
    @Override
    ReleaseRequest.Action action() {
      return ReleaseRequest.Action.Pause;
    }
  }

  @Command(name = "resume", description = "Resume a paused release.")
  static final class Resume extends Request {
    @Override
    ReleaseRequest.Action action() {
      return ReleaseRequest.Action.Resume;
    }
  }

  @Command(name = "abort", description = "Abort the open wave's canaries; no further wave opens.")
  static final class Abort extends Request {
    @Override
    ReleaseRequest.Action action() {
      return ReleaseRequest.Action.Abort;
    }
  }
}
