package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.Identity;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * pause, resume, promote [--full], abort, retry, restart: each sends the one-liner patch of
 * docs/kubectl.md to the status subresource, {"status":{"request":{"action":...}}}, plus who asks
 * (a SelfSubjectReview).
 */
public final class RequestCommands {
  private RequestCommands() {}

  /** The merge patch, exactly the one-liner's with requestedBy added. */
  public static String patch(RequestAction action, String requestedBy) {
    return "{\"status\":{\"request\":{\"action\":\""
        + action
        + "\""
        + (requestedBy == null
            ? ""
            : ",\"requestedBy\":\""
                + requestedBy.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"")
        + "}}}";
  }

  abstract static class Base implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Rollout.")
    String name;

    @Option(
        names = "--wait-timeout",
        defaultValue = "10",
        description =
            "Seconds to wait for the controller's answer (default: ${DEFAULT-VALUE}); 0 returns at once.")
    int waitSeconds;

    abstract RequestAction action();

    /**
     * Exit 0 when the controller carried the request out (or did not answer in time: the request
     * stays pending and is then carried out or refused), 1 when it refused, with its reason.
     */
    @Override
    public Integer call() throws InterruptedException {
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        String who = Identity.of(client);
        Rollout patched;
        try {
          patched =
              client
                  .resources(Rollout.class)
                  .inNamespace(ns)
                  .withName(name)
                  .subresource("status")
                  .patch(
                      new PatchContext.Builder()
                          .withPatchType(PatchType.JSON_MERGE)
                          .withFieldManager("kubectl-slipway")
                          .build(),
                      patch(action(), "unknown".equals(who) ? null : who));
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            throw new IllegalArgumentException(
                "rollout.slipway.dev \"" + name + "\" not found in namespace " + ns);
          }
          throw e;
        }
        // The API server's time of our write, which the controller records as requestedAt: no
        // clocks compared.
        String sent =
            patched == null || patched.getMetadata().getManagedFields() == null
                ? null
                : patched.getMetadata().getManagedFields().stream()
                    .filter(
                        m ->
                            "kubectl-slipway".equals(m.getManager())
                                && "status".equals(m.getSubresource()))
                    .map(ManagedFieldsEntry::getTime)
                    .filter(Objects::nonNull)
                    .max(String::compareTo)
                    .orElse(null);
        String asked =
            "rollout.slipway.dev/"
                + name
                + " "
                + action()
                + " requested"
                + ("unknown".equals(who) ? "" : " by " + who);
        ActionRecord answer = waitSeconds <= 0 || sent == null ? null : answer(client, ns, sent);
        if (answer == null) {
          spec.commandLine()
              .getOut()
              .println(
                  asked
                      + (waitSeconds <= 0
                          ? ""
                          : "; the controller has not answered yet (see status.lastAction)"));
          spec.commandLine().getOut().flush();
          return 0;
        }
        if (answer.result() != null && answer.result().startsWith("refused")) {
          spec.commandLine().getErr().println("error: " + action() + " " + answer.result());
          return 1;
        }
        spec.commandLine().getOut().println(asked + ": " + answer.result());
        spec.commandLine().getOut().flush();
        return 0;
      }
    }

    /**
     * The controller's record of this request: the same action, written by us at the time the API
     * server gave our write.
     */
    private ActionRecord answer(KubernetesClient client, String ns, String sent)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
      while (System.nanoTime() < deadline) {
        Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(name).get();
        var st = r == null ? null : r.getStatus();
        var last = st == null ? null : st.lastAction();
        if (last != null
            && last.action() == action()
            && "kubectl-slipway".equals(last.fieldManager())
            && sent.equals(last.requestedAt())) {
          return last;
        }
        Thread.sleep(200);
      }
      return null;
    }
  }

  @Command(name = "pause", description = "Pause the canary where it is.")
  static final class Pause extends Base {
    @Override
    RequestAction action() {
      return RequestAction.Pause;
    }
  }

  @Command(
      name = "resume",
      description =
          "Resume a paused canary (also completes a pause step or an inconclusive analysis).")
  static final class Resume extends Base {
    @Override
    RequestAction action() {
      return RequestAction.Resume;
    }
  }

  @Command(
      name = "promote",
      description = "Complete the current step; --full skips all remaining steps.")
  static final class Promote extends Base {
    @Option(names = "--full", description = "Promote fully: skip every remaining step.")
    boolean full;

    @Override
    RequestAction action() {
      return full ? RequestAction.PromoteFull : RequestAction.Promote;
    }
  }

  @Command(
      name = "abort",
      description = "Roll back: traffic to stable first, then scale the canary down.")
  static final class Abort extends Base {
    @Override
    RequestAction action() {
      return RequestAction.Abort;
    }
  }

  @Command(
      name = "retry",
      description = "Start a rolled-back revision again from step 1 (its next attempt).")
  static final class Retry extends Base {
    @Override
    RequestAction action() {
      return RequestAction.Retry;
    }
  }

  @Command(
      name = "restart",
      description =
          "Restart the current pods one at a time (evicted, so PodDisruptionBudgets apply), without a new revision.")
  static final class Restart extends Base {
    @Override
    RequestAction action() {
      return RequestAction.Restart;
    }
  }
}
