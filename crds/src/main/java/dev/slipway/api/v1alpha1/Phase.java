package dev.slipway.api.v1alpha1;

/**
 * Rollout-level health, named as Argo CD's health model names it (Paused shows as Suspended).
 * Constants are spelled as they appear in YAML.
 */
public enum Phase {
  Progressing,
  Paused,
  Healthy,
  Degraded
}
