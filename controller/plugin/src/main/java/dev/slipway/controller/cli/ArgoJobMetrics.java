package dev.slipway.controller.cli;

import dev.slipway.controller.cli.ArgoConverter.Severity;
import java.util.List;
import java.util.Map;

/**
 * An Argo Rollouts job metric as a Slipway Job check: the Job's spec carries over ({{args.NAME}}
 * works in its strings as in Argo's), its activeDeadlineSeconds becomes deadline and its
 * ttlSecondsAfterFinished ttlAfterFinished; the Job's own metadata does not, since Slipway labels
 * and names each Job itself.
 */
final class ArgoJobMetrics {
  private ArgoJobMetrics() {}

  static Map<String, Object> convert(
      ArgoConverter c,
      Map<String, Object> out,
      Map<String, Object> job,
      Map<String, Object> in,
      String p,
      String name,
      List<String> dry) {
    String j = p + "provider.job.";
    Map<String, Object> check = new java.util.LinkedHashMap<>();
    Map<String, Object> spec = ArgoConverter.map(job.remove("spec"));
    if (spec == null) {
      c.note(Severity.UNMAPPED, j + "spec", "missing: the metric is not converted");
      in.clear();
      job.clear();
      return null;
    }
    Object deadline = spec.remove("activeDeadlineSeconds");
    if (deadline != null) check.put("deadline", ArgoConverter.seconds(deadline));
    Object ttl = spec.remove("ttlSecondsAfterFinished");
    if (ttl != null) {
      long s = Long.parseLong(String.valueOf(ttl));
      if (s < 60) {
        c.note(
            Severity.CHANGED,
            j + "spec.ttlSecondsAfterFinished",
            s
                + "s becomes 60s: Slipway keeps a finished Job at least a minute, so its result is read before it is deleted");
        s = 60;
      }
      check.put("ttlAfterFinished", s + "s");
    }
    if (!spec.containsKey("backoffLimit")) {
      c.note(
          Severity.CHANGED,
          j + "spec.backoffLimit",
          "unset: Kubernetes' default (6 retries) becomes Slipway's 0, so one failed pod fails the check; set it to keep retries");
    }
    check.put("spec", spec);
    Map<String, Object> meta = ArgoConverter.map(job.remove("metadata"));
    if (meta != null && !meta.isEmpty()) {
      c.note(
          Severity.UNMAPPED,
          j + "metadata",
          "Slipway names and labels each Job itself: move labels and annotations to spec.template.metadata if the pods need them");
    }
    c.leftovers(j, job);
    Object success = in.remove("successCondition");
    Object failure = in.remove("failureCondition");
    if (success != null || failure != null) {
      c.note(
          Severity.CHANGED,
          p + (success != null ? "successCondition" : "failureCondition"),
          "a Job check is judged by the Job's outcome (succeeded, failed, past its deadline), as Argo's job metrics are: the condition is dropped");
    }
    out.put("job", check);
    c.schedule(in, out, p);
    if (dry.contains(name) || dry.contains(".*")) out.put("dryRun", true);
    c.leftovers(p, in);
    return out;
  }
}
