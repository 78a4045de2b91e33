package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.controller.dora.Attempt;
import dev.slipway.controller.dora.Dora;
import dev.slipway.controller.evidence.VerifiedAttempts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** DORA's four metrics per Rollout and per namespace, from verified evidence records only. */
@Command(
    name = "dora",
    description =
        "Deployment frequency, lead time, change failure rate and time to restore, from verified evidence.")
public final class DoraCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Across all namespaces.")
  boolean all;

  @Option(
      names = "--since",
      defaultValue = "30d",
      description = "How far back, e.g. 30d, 12h (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(
      names = {"-o", "--output"},
      description = "json or csv (default: a table).")
  String output;

  @Option(
      names = "--public-key",
      description = "The Ed25519 public key to trust (default: the one the cluster publishes).")
  Path publicKey;

  @Option(
      names = "--controller-namespace",
      defaultValue = "slipway-system",
      description = "Where the public key is published.")
  String controllerNamespace;

  @Override
  public Integer call() throws Exception {
    if (output != null && !List.of("json", "csv").contains(output)) {
      throw new IllegalArgumentException("-o must be json or csv, not " + output);
    }
    Duration range = Durations.parseWithDays(since);
    try (KubernetesClient client = kube.client()) {
      PublicKey key =
          EvidenceCommand.trustedKey(
              client, publicKey, controllerNamespace, spec.commandLine().getErr(), false);
      if (key == null) {
        return 2;
      }
      List<RolloutRecord> records =
          all
              ? client.resources(RolloutRecord.class).inAnyNamespace().list().getItems()
              : client
                  .resources(RolloutRecord.class)
                  .inNamespace(kube.namespace(client))
                  .list()
                  .getItems();
      VerifiedAttempts.Read read = VerifiedAttempts.read(records, key);
      read.excluded()
          .forEach(
              x -> spec.commandLine().getErr().println("warning: left out, does not verify: " + x));
      // The edge reads the clock; Dora itself is pure.
      Instant until = Instant.now();
      Dora.Report report =
          Dora.compute(
              read.attempts().stream().map(Attempt::of).toList(), until.minus(range), until);
      PrintWriter out = spec.commandLine().getOut();
      out.print(
          output == null
              ? table(report)
              : output.equals("json") ? Serialization.asJson(report) + "\n" : csv(report));
      out.flush();
      return 0;
    }
  }

  static String table(Dora.Report r) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-16s %-24s %11s %9s %10s %8s %10s %10s%n",
                "NAMESPACE",
                "ROLLOUT",
                "DEPLOYMENTS",
                "PER-DAY",
                "LEAD-TIME",
                "FAILURE",
                "RESTORE",
                "UNRESTORED"));
    for (List<Dora.Row> rows : List.of(r.rollouts(), r.namespaces())) {
      for (Dora.Row x : rows) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-16s %-24s %11d %9.2f %10s %8s %10s %10d%n",
                x.namespace(),
                x.rollout(),
                x.deployments(),
                x.deploymentsPerDay(),
                human(x.leadTimeMedianSeconds()),
                x.changeFailureRate() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%.0f%%", 100 * x.changeFailureRate()),
                human(x.timeToRestoreMedianSeconds()),
                x.unrestored()));
      }
    }
    return b.toString();
  }

  static String human(Double seconds) {
    if (seconds == null) return "-";
    long s = Math.round(seconds);
    return s >= 86_400
        ? String.format(Locale.ROOT, "%.1fd", s / 86_400.0)
        : s >= 3600
            ? String.format(Locale.ROOT, "%.1fh", s / 3600.0)
            : s >= 60 ? String.format(Locale.ROOT, "%.1fm", s / 60.0) : s + "s";
  }

  static String csv(Dora.Report r) {
    StringBuilder b =
        new StringBuilder(
            "namespace,rollout,deployments,deploymentsPerDay,leadTimeMedianSeconds,leadTimeSamples,"
                + "failures,changeFailureRate,timeToRestoreMedianSeconds,restored,unrestored\n");
    for (List<Dora.Row> rows : List.of(r.rollouts(), r.namespaces())) {
      for (Dora.Row x : rows) {
        b.append(
                String.join(
                    ",",
                    x.namespace(),
                    x.rollout(),
                    String.valueOf(x.deployments()),
                    String.valueOf(x.deploymentsPerDay()),
                    str(x.leadTimeMedianSeconds()),
                    String.valueOf(x.leadTimeSamples()),
                    String.valueOf(x.failures()),
                    str(x.changeFailureRate()),
                    str(x.timeToRestoreMedianSeconds()),
                    String.valueOf(x.restored()),
                    String.valueOf(x.unrestored())))
            .append('\n');
      }
    }
    return b.toString();
  }

  private static String str(Double d) {
    return d == null ? "" : String.valueOf(d);
  }
}
