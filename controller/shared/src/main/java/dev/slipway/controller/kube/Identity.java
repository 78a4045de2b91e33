package dev.slipway.controller.kube;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who the API server says we are (SelfSubjectReview, allowed to every authenticated user). */
public final class Identity {
  private static final Logger LOG = LoggerFactory.getLogger(Identity.class);

  private Identity() {}

  public static String of(KubernetesClient client) {
    try {
      SelfSubjectReview review = client.resource(new SelfSubjectReview()).create();
      return review.getStatus().getUserInfo().getUsername();
    } catch (RuntimeException e) {
      LOG.warn("could not ask the API server who we are: {}", e.getMessage());
      return "unknown";
    }
  }
}
