package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RequestAction;

/** A manual request as observed, with who wrote it (from managedFields) and when. */
public record ManualAction(RequestAction action, String requestedBy, String fieldManager, String requestedAt) {}
