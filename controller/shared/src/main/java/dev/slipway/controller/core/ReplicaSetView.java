package dev.slipway.controller.core;

/** What the cluster reports for one of the Rollout's ReplicaSets. */
public record ReplicaSetView(String revision, int replicas, int readyReplicas) {}
