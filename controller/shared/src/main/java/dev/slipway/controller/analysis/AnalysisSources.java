package dev.slipway.controller.analysis;

import dev.slipway.api.v1alpha1.AnalysisTemplate;
import java.net.URI;
import java.util.Map;

/** Where templates and Secret values come from: the API server in production, maps in tests. */
public interface AnalysisSources {

  /** The template, or null when it does not exist. */
  AnalysisTemplate template(String namespace, String name);

  /** The Secret's decoded data, or null when it does not exist. */
  Map<String, String> secret(String namespace, String name);

  /**
   * Why analysis may not query this provider address (the controller's policy), or null when it
   * may.
   */
  default String providerRefusal(URI address) {
    return null;
  }

  /**
   * Why a Job check may not run in this namespace (the controller's own: its Jobs could run as the
   * controller's ServiceAccount), or null when it may.
   */
  default String jobRefusal(String namespace) {
    return null;
  }
}
