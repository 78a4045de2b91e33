package dev.slipway.controller.analysis;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.promql.Side;
import dev.slipway.analysis.provider.JobRunner;
import dev.slipway.analysis.provider.LogTail;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job checks against the API server: each measurement's Job is created in the Rollout's namespace
 * under its fixed name, then read at every pass until it is over. The Job's pods run as the
 * ServiceAccount its spec names in that namespace (the controller only creates the Job); the
 * Rollout owns the Job, so deleting the Rollout deletes it.
 */
public final class KubernetesJobs implements JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesJobs.class);

  /** On each check's Job and pods: the metric's name. */
  public static final String METRIC = "slipway.dev/analysis-job";

  /** On each check's Job: the canary revision it tests. */
  public static final String REVISION = "slipway.dev/analysis-revision";

  /** The pods of a Job, as the Job controller labels them. */
  static final String JOB_NAME = "batch.kubernetes.io/job-name";

  /** Pods whose containers are reported, the newest first: a Job with retries has several. */
  static final int PODS_REPORTED = 3;

  /** Bound of a measurement's reason, all containers' tails together. */
  static final int MAX_REASON = 8192;

  private final KubernetesClient client;

  public KubernetesJobs(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Observation observe(Request r) {
    String ns = r.args().namespace();
    Job job;
    try {
      job = client.batch().v1().jobs().inNamespace(ns).withName(r.name()).get();
    } catch (KubernetesClientException e) {
      // The next pass reads it again; the Job keeps its own deadline meanwhile.
      return new Pending("the Job could not be read (" + e.getCode() + ")");
    }
    if (job == null) return create(r);
    Map<String, String> labels = job.getMetadata().getLabels();
    if (labels == null || !r.metric().equals(labels.get(METRIC))) {
      return new Finished(
          Verdict.Error,
          "a Job named " + ns + "/" + r.name() + " exists and is not this check's",
          null);
    }
    return read(job, r);
  }

  private Observation create(Request r) {
    String ns = r.args().namespace();
    Job job;
    try {
      job = build(r, owner(ns, r.args().rollout()));
    } catch (IllegalArgumentException e) {
      return new Finished(Verdict.Error, "job spec: " + e.getMessage(), null);
    }
    try {
      client.resource(job).create();
      LOG.info(
          "analysis Job {}/{} created for metric {} of {}",
          ns,
          r.name(),
          r.metric(),
          r.args().rollout());
      return new Pending("created");
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code == 409) return new Pending("created by an earlier pass");
      if (code == 0 || code == 429 || code >= 500) {
        return new Pending("the Job could not be created yet (" + code + ")");
      }
      String message = e.getStatus() == null ? null : e.getStatus().getMessage();
      return new Finished(
          Verdict.Error,
          "the Job was refused ("
              + code
              + "): "
              + (message == null ? "no message" : LogTail.of(message, 5)),
          null);
    }
  }

  /** The Rollout's uid, to own the Job; null when it cannot be read (the Job is then unowned). */
  private String owner(String ns, String rollout) {
    try {
      Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(rollout).get();
      return r == null ? null : r.getMetadata().getUid();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  /** The Job this measurement creates. */
  static Job build(Request r, String ownerUid) {
    JobSpec spec;
    try {
      spec =
          Serialization.unmarshal(
              JobTemplates.render(r.check().template(), r.args().forSide(Side.CANARY)).toString(),
              JobSpec.class);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) throw iae;
      throw new IllegalArgumentException("not a Job spec: " + e.getMessage(), e);
    }
    PodTemplateSpec pod = spec.getTemplate();
    if (pod == null || pod.getSpec() == null) {
      throw new IllegalArgumentException("spec.template.spec is required (the Job's pod)");
    }
    spec.setActiveDeadlineSeconds(r.check().deadline().toSeconds());
    spec.setTtlSecondsAfterFinished((int) r.check().ttlAfterFinished().toSeconds());
    if (spec.getBackoffLimit() == null) spec.setBackoffLimit(0);
    if (pod.getSpec().getRestartPolicy() == null) pod.getSpec().setRestartPolicy("Never");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.ROLLOUT, r.args().rollout());
    labels.put(METRIC, r.metric());
    labels.put(REVISION, r.args().canaryHash());
    labels.put("app.kubernetes.io/managed-by", "slipway");
    if (pod.getMetadata() == null) pod.setMetadata(new ObjectMeta());
    Map<String, String> podLabels = new LinkedHashMap<>();
    if (pod.getMetadata().getLabels() != null) podLabels.putAll(pod.getMetadata().getLabels());
    podLabels.put(METRIC, r.metric());
    pod.getMetadata().setLabels(podLabels);
    JobBuilder b =
        new JobBuilder()
            .withNewMetadata()
            .withName(r.name())
            .withNamespace(r.args().namespace())
            .withLabels(labels)
            .endMetadata()
            .withSpec(spec);
    if (ownerUid != null) {
      b.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("slipway.dev/v1alpha1")
                  .withKind("Rollout")
                  .withName(r.args().rollout())
                  .withUid(ownerUid)
                  .build())
          .endMetadata();
    }
    return b.build();
  }

  private Observation read(Job job, Request r) {
    Instant created = created(job);
    JobCondition over = terminal(job);
    if (over == null) {
      Integer active = job.getStatus() == null ? null : job.getStatus().getActive();
      return new Pending(active == null || active == 0 ? "starting" : active + " pod(s) running");
    }
    String ns = r.args().namespace();
    String where = "Job " + ns + "/" + r.name();
    Verdict verdict;
    String outcome;
    if ("Complete".equals(over.getType())) {
      verdict = Verdict.Successful;
      outcome = where + " succeeded" + took(created, over);
    } else if ("DeadlineExceeded".equals(over.getReason())) {
      verdict = Verdict.Error;
      outcome =
          where
              + " passed its deadline of "
              + r.check().deadline().toSeconds()
              + " s and was stopped (DeadlineExceeded)";
    } else {
      verdict = Verdict.Failed;
      outcome =
          where
              + " failed"
              + took(created, over)
              + " ("
              + (over.getReason() == null ? "Failed" : over.getReason())
              + ")";
    }
    String reason = outcome + pods(r, ns);
    if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON - 1) + "…";
    return new Finished(verdict, reason, created);
  }

  /** Complete or Failed, once true; the conditions that precede them are not an end. */
  static JobCondition terminal(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
    for (JobCondition c : job.getStatus().getConditions()) {
      if ("True".equals(c.getStatus())
          && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))) {
        return c;
      }
    }
    return null;
  }

  private static Instant created(Job job) {
    String t = job.getMetadata().getCreationTimestamp();
    try {
      return t == null ? null : Instant.parse(t);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String took(Instant created, JobCondition over) {
    if (created == null || over.getLastTransitionTime() == null) return "";
    try {
      Duration d = Duration.between(created, Instant.parse(over.getLastTransitionTime()));
      return " after " + d.toSeconds() + " s";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** Each reported pod's containers: exit code, and the end of the log. */
  private String pods(Request r, String ns) {
    List<Pod> pods;
    try {
      pods =
          new ArrayList<>(
              client.pods().inNamespace(ns).withLabel(JOB_NAME, r.name()).list().getItems());
    } catch (KubernetesClientException e) {
      return "; its pods could not be read (" + e.getCode() + ")";
    }
    if (pods.isEmpty()) return "; no pod left to read";
    pods.sort(
        Comparator.comparing(
                (Pod p) ->
                    p.getMetadata().getCreationTimestamp() == null
                        ? ""
                        : p.getMetadata().getCreationTimestamp())
            .reversed());
    StringBuilder out = new StringBuilder();
    for (Pod p : pods.subList(0, Math.min(PODS_REPORTED, pods.size()))) {
      String name = p.getMetadata().getName();
      List<ContainerStatus> statuses =
          p.getStatus() == null || p.getStatus().getContainerStatuses() == null
              ? List.of()
              : p.getStatus().getContainerStatuses();
      for (ContainerStatus c : statuses) {
        out.append("; pod ").append(name).append(" container ").append(c.getName()).append(' ');
        var t = c.getState() == null ? null : c.getState().getTerminated();
        if (t != null) {
          out.append("exited ").append(t.getExitCode());
          if (t.getReason() != null) out.append(" (").append(t.getReason()).append(')');
        } else if (c.getState() != null && c.getState().getWaiting() != null) {
          out.append("never ran (").append(c.getState().getWaiting().getReason()).append(')');
        } else {
          out.append("did not finish");
        }
        String tail = tail(ns, name, c.getName(), r.check().logLines());
        if (!tail.isEmpty()) out.append("; log tail:\n").append(tail);
      }
    }
    return out.toString();
  }

  private String tail(String ns, String pod, String container, int lines) {
    if (lines == 0) return "";
    try {
      String log =
          client
              .pods()
              .inNamespace(ns)
              .withName(pod)
              .inContainer(container)
              .limitBytes(64 * 1024)
              .tailingLines(lines)
              .getLog();
      return LogTail.of(log, lines);
    } catch (KubernetesClientException e) {
      return "(log unavailable: " + e.getCode() + ")";
    }
  }

  @Override
  public void cancel(String namespace, String rollout, String revision) {
    try {
      List<Job> jobs =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withLabel(Labels.ROLLOUT, rollout)
              .withLabel(REVISION, revision)
              .withLabel(METRIC)
              .list()
              .getItems();
      for (Job j : jobs) {
        if (terminal(j) != null) continue;
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(j.getMetadata().getName())
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
        LOG.info(
            "analysis Job {}/{} deleted: revision {} of {} is no longer tested",
            namespace,
            j.getMetadata().getName(),
            revision,
            rollout);
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "analysis Jobs of {}/{} revision {} could not be deleted ({}); they end at their deadline",
          namespace,
          rollout,
          revision,
          e.getCode());
    }
  }
}
