package dev.slipway.controller.core;

import java.util.Comparator;
import java.util.List;

/**
 * A StatefulSet walked in place (spec.workloadRef kind StatefulSet), as a pass sees it.
 *
 * @param replicas its spec.replicas
 * @param partition its spec.updateStrategy.rollingUpdate.partition (0 when unset)
 * @param currentRevision the revision its controller recreates a deleted pod below the partition
 *     at: the old one until every pod runs the new one
 * @param updateRevision the revision of its current template (the Rollout's desired revision)
 * @param pods its pods, each with its controller-revision-hash as revision
 * @param parallel podManagementPolicy Parallel: its controller creates and deletes pods without
 *     waiting for their neighbours when it scales; updates still go one ordinal at a time
 * @param revisions the revisions its ControllerRevisions keep (a rollback can write back only the
 *     template of one of these); read only while its current revision is not the stable one, the
 *     only time a template is written back, and empty otherwise
 */
public record StatefulSetView(
    String name,
    int replicas,
    int partition,
    String currentRevision,
    String updateRevision,
    List<PodView> pods,
    boolean parallel,
    List<String> revisions) {

  public StatefulSetView {
    pods = List.copyOf(pods);
    revisions = List.copyOf(revisions);
  }

  /** The pod's ordinal: the number after the last dash of its name (-1 when there is none). */
  public static int ordinal(PodView p) {
    int dash = p.name().lastIndexOf('-');
    try {
      return dash < 0 ? -1 : Integer.parseInt(p.name().substring(dash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Its pods, highest ordinal first (the order its controller updates and we replace in). */
  public List<PodView> highestFirst() {
    return pods.stream()
        .sorted(Comparator.comparingInt(StatefulSetView::ordinal).reversed())
        .toList();
  }

  /** Every ordinal has its pod, ready, none going away: the moment one more may be replaced. */
  public boolean settled() {
    return pods.size() >= replicas && pods.stream().allMatch(p -> p.ready() && !p.terminating());
  }
}
