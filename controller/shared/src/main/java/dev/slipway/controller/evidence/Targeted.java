package dev.slipway.controller.evidence;

/** A draft and the revision attempt whose record it belongs in. */
public record Targeted(String revision, int attempt, EntryDraft draft) {}
