package dev.slipway.controller.core;

/** The workload named by spec.workloadRef, as it is: its replica count, or that it is gone. */
public record WorkloadView(String name, boolean exists, int replicas) {}
