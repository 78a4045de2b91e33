package dev.slipway.controller.core;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stable and canary Services as they are: which revision each selects, and which are missing.
 *
 * @param selects Service name to the pod-template hash its selector names ("" when it names none)
 * @param missing Services the spec names that do not exist
 * @param versions Service name to its resourceVersion, so a drift is recorded once per change
 * @param editedByOthers Services whose selector was last written by someone other than the
 *     controller
 * @param unlabeled Services without this Rollout's label (slipway.dev/rollout): the controller's
 *     informer holds only labelled Services, so these are read from the API until labelled
 */
public record ServicesView(
    Map<String, String> selects,
    List<String> missing,
    Map<String, String> versions,
    Set<String> editedByOthers,
    Set<String> unlabeled) {

  public boolean anyMissing() {
    return !missing.isEmpty();
  }
}
