package dev.slipway.controller.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * Which shard a Rollout belongs to, and which replica should hold a shard. Both are hashes every
 * replica computes alike (SHA-256, not String.hashCode, which no JVM promises to keep): a Rollout's
 * shard never changes while the shard count stays, and a shard's replica is chosen by rendezvous
 * (highest random weight) hashing, so a replica that joins or leaves moves only the shards it takes
 * or held. Pure.
 */
public final class Shards {
  private Shards() {}

  /** The shard of namespace/name among {@code count} (0 to count-1). */
  public static int of(String namespace, String name, int count) {
    if (count <= 1) return 0;
    return (int) Long.remainderUnsigned(hash(namespace + "/" + name), count);
  }

  /**
   * The member that should hold {@code shard}: the one with the highest hash of (member, shard);
   * null with no members.
   */
  public static String owner(int shard, Collection<String> members) {
    String best = null;
    long bestWeight = 0;
    for (String m : members) {
      long w = hash(m + "#" + shard);
      if (best == null
          || Long.compareUnsigned(w, bestWeight) > 0
          || (w == bestWeight && m.compareTo(best) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  private static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}
