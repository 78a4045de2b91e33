package dev.slipway.controller.evidence;

import java.util.List;

/** The processor's view of the ledger: decisions before actions, results after. */
public interface Evidence {

  /** Persists the pass's decisions and observations; throws if they cannot be persisted, so nothing acts. */
  List<Targeted> beforeActions(PassContext pass);

  /** Persists the results of the actions the decisions justified. */
  void afterActions(PassContext pass, List<Targeted> decided, List<String> problems);

  /** The Rollout was deleted: drop what memory holds about it. */
  default void forget(String namespace, String rollout) {}

  /** The head of an attempt's record as REVISION/aATTEMPT#SEQ:HASH, when known without a read; else null. */
  default String head(String namespace, String rollout, String revision, int attempt) {
    return null;
  }

  Evidence NONE = new Evidence() {
    @Override
    public List<Targeted> beforeActions(PassContext pass) {
      return List.of();
    }

    @Override
    public void afterActions(PassContext pass, List<Targeted> decided, List<String> problems) {}
  };
}
