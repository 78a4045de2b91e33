package dev.slipway.controller.reconcile;

/**
 * Which Rollouts this replica handles: with shards, those of the shards it holds. A pass for any
 * other is skipped before it reads anything; a pass in flight is counted, so that a shard is handed
 * over only once its passes have finished.
 */
public interface Ownership {
  /** Every Rollout (one replica, or a leader that holds them all). */
  Ownership ALL =
      new Ownership() {
        @Override
        public boolean owns(String namespace, String name) {
          return true;
        }

        @Override
        public Pass enter(String namespace, String name) {
          return () -> {};
        }
      };

  boolean owns(String namespace, String name);

  /** A pass for namespace/name begins; it ends when the returned handle is closed. */
  Pass enter(String namespace, String name);

  /** A pass in flight. */
  interface Pass extends AutoCloseable {
    @Override
    void close();
  }
}
