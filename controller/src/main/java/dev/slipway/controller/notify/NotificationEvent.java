package dev.slipway.controller.notify;

import java.util.Map;

/**
 * One thing worth telling people, taken from one evidence entry. Its id is the entry's hash: the
 * same on every retry and after a restart, so a receiver can drop duplicates by it.
 *
 * @param category transition, verdict or manual: what a sink may choose
 * @param type the CloudEvents type, dev.slipway.rollout.CATEGORY.v1
 * @param source the CloudEvents source, /namespaces/NS/rollouts/NAME
 * @param subject the revision (pod-template hash) the entry belongs to
 * @param text one line for people (Slack)
 */
public record NotificationEvent(
    String id,
    String category,
    String type,
    String source,
    String subject,
    String time,
    Map<String, Object> data,
    String text) {
  public static final String TRANSITION = "transition";
  public static final String VERDICT = "verdict";
  public static final String MANUAL = "manual";
}
