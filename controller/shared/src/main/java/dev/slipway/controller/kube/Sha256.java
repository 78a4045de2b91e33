package dev.slipway.controller.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 helper: every hash Slipway writes (template hashes, rule names, chain links, key
 * ids, fingerprints) is a SHA-256, only spelled differently by its user.
 */
public final class Sha256 {
  private Sha256() {}

  public static byte[] of(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Of the string's UTF-8 bytes. */
  public static byte[] of(String s) {
    return of(s.getBytes(StandardCharsets.UTF_8));
  }

  /** In lower-case hex (64 characters). */
  public static String hex(byte[] data) {
    return HexFormat.of().formatHex(of(data));
  }

  /** The first {@code chars} hex characters of the string's hash. */
  public static String shortHex(String s, int chars) {
    return HexFormat.of().formatHex(of(s)).substring(0, chars);
  }
}
