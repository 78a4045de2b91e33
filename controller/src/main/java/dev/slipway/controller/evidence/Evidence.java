package dev.slipway.controller.evidence;

import java.util.List;

/** The processor's view of the ledger: decisions before actions, results after. */
public interface Evidence {

  /** Persists the pass's decisions and observations; throws if they cannot be persisted, so nothing acts. */
  List<Targeted> beforeActions(PassContext pass);

  /** Persists the results of the actions the decisions justified. */
  void afterActions(PassContext pass, List<Targeted> decided, List<String> problems);

  /** Image references and digests of a revision's pods. */
  default List<java.util.Map<String, Object>> images(String namespace, String revision) {
    return List.of();
  }

  /** Who the controller is, as recorded in every record it opens. */
  default String controllerIdentity() {
    return "unknown";
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
