package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.k8s.Identity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * pause, resume, promote [--full], abort, retry: each sends the README's one-liner patch to the
 * status subresource, {"status":{"request":{"action":...}}}, plus who asks (a SelfSubjectReview).
 */
public final class RequestCommands {
  private RequestCommands() {}

  /** The merge patch, exactly the one-liner's with requestedBy added. */
  public static String patch(RequestAction action, String requestedBy) {
    return "{\"status\":{\"request\":{\"action\":\"" + action + "\""
        + (requestedBy == null ? "" : ",\"requestedBy\":\"" + requestedBy.replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + "}}}";
  }

  abstract static class Base implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "The Rollout.") String name;

    abstract RequestAction action();

    @Override
    public Integer call() {
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        String who = Identity.of(client);
        client.resources(Rollout.class).inNamespace(ns).withName(name).subresource("status")
            .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-slipway").build(),
                patch(action(), "unknown".equals(who) ? null : who));
        spec.commandLine().getOut().println("rollout.slipway.dev/" + name + " " + action() + " requested"
            + ("unknown".equals(who) ? "" : " by " + who));
        spec.commandLine().getOut().flush();
        return 0;
      }
    }
  }

  @Command(name = "pause", description = "Pause the canary where it is.")
  static final class Pause extends Base {
    RequestAction action() {
      return RequestAction.Pause;
    }
  }

  @Command(name = "resume", description = "Resume a paused canary (also completes a pause step or an inconclusive analysis).")
  static final class Resume extends Base {
    RequestAction action() {
      return RequestAction.Resume;
    }
  }

  @Command(name = "promote", description = "Complete the current step; --full skips all remaining steps.")
  static final class Promote extends Base {
    @Option(names = "--full", description = "Promote fully: skip every remaining step.") boolean full;

    RequestAction action() {
      return full ? RequestAction.PromoteFull : RequestAction.Promote;
    }
  }

  @Command(name = "abort", description = "Roll back: traffic to stable first, then scale the canary down.")
  static final class Abort extends Base {
    RequestAction action() {
      return RequestAction.Abort;
    }
  }

  @Command(name = "retry", description = "Start a rolled-back revision again from step 1 (its next attempt).")
  static final class Retry extends Base {
    RequestAction action() {
      return RequestAction.Retry;
    }
  }
}
