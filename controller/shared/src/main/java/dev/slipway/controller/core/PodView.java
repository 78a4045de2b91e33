package dev.slipway.controller.core;

import java.time.Instant;

/**
 * One pod of the Rollout, as a restart needs to see it.
 *
 * @param uid pins the eviction to this pod, not a namesake created since
 * @param terminating a deletion timestamp is set: its eviction is under way
 */
public record PodView(
    String name,
    String uid,
    String revision,
    Instant created,
    boolean ready,
    boolean terminating) {}
