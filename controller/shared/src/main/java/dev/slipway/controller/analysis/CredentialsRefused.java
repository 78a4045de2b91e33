package dev.slipway.controller.analysis;

/**
 * A Secret the controller will not use as analysis credentials; the message says why, never a
 * value.
 */
public final class CredentialsRefused extends RuntimeException {
  public CredentialsRefused(String message) {
    super(message, null, false, false);
  }
}
