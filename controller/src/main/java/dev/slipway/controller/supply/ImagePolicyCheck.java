package dev.slipway.controller.supply;

import dev.slipway.api.v1alpha1.ImagePolicy;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.ImageVerdict;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * spec.imagePolicy for a revision: every container's image (init containers too) pinned by digest
 * and verified by {@link CosignVerifier}. The last verdict of each Rollout is remembered: a
 * verified one as long as the revision and the policy stay (digests cannot change), a refusal or an
 * unreachable registry until {@link #RETRY} has passed.
 */
public final class ImagePolicyCheck {
  static final Duration RETRY = Duration.ofSeconds(30);

  private final CosignVerifier verifier;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** The verdict for one revision under one policy, kept by the Rollout's uid. */
  private record Cached(String revision, ImagePolicy policy, ImageVerdict verdict, Instant at) {}

  public ImagePolicyCheck(CosignVerifier verifier, Clock clock) {
    this.verifier = verifier;
    this.clock = clock;
  }

  /** The verdict for the Rollout's template (its revision is {@code revision}); null: no policy. */
  public ImageVerdict verdict(Rollout r, String revision) {
    ImagePolicy policy = r.getSpec() == null ? null : r.getSpec().imagePolicy();
    if (policy == null || r.getSpec().template() == null) return null;
    String uid = r.getMetadata().getUid();
    Cached c = cache.get(uid);
    Instant now = clock.instant();
    if (c != null
        && c.revision().equals(revision)
        && c.policy().equals(policy)
        && (c.verdict().verified() || now.isBefore(c.at().plus(RETRY)))) {
      return c.verdict();
    }
    ImageVerdict v = check(r, policy);
    cache.put(uid, new Cached(revision, policy, v, now));
    return v;
  }

  /** Forget a deleted Rollout's verdict. */
  public void forget(String uid) {
    cache.remove(uid);
  }

  private ImageVerdict check(Rollout r, ImagePolicy policy) {
    List<CosignVerifier.Key> keys = new ArrayList<>();
    try {
      for (String pem : policy.publicKeys()) keys.add(CosignVerifier.Key.parse(pem));
    } catch (IllegalArgumentException e) {
      return new ImageVerdict(
          ImageVerdict.Status.Refused, "spec.imagePolicy.publicKeys: " + e.getMessage(), List.of());
    }
    List<Container> containers = new ArrayList<>();
    var pod = r.getSpec().template().getSpec();
    if (pod != null) {
      if (pod.getInitContainers() != null) containers.addAll(pod.getInitContainers());
      if (pod.getContainers() != null) containers.addAll(pod.getContainers());
    }
    List<CosignVerifier.Result> results = new ArrayList<>();
    for (Container ct : containers) {
      ImageRef ref;
      try {
        ref = ImageRef.parse(String.valueOf(ct.getImage()));
      } catch (IllegalArgumentException e) {
        return refused(e.getMessage());
      }
      if (!ref.pinned()) {
        return refused(
            "container "
                + ct.getName()
                + ": image "
                + ct.getImage()
                + " is not pinned by digest; the policy verifies what runs, so name it repository@sha256:...");
      }
      CosignVerifier.Result res;
      try {
        res = verifier.verify(ref, keys, policy.attestationsOrEmpty());
      } catch (IOException | RuntimeException e) {
        return new ImageVerdict(
            ImageVerdict.Status.Unavailable,
            "container "
                + ct.getName()
                + ": image "
                + ct.getImage()
                + " could not be checked ("
                + e.getMessage()
                + "); it is asked again in "
                + RETRY.toSeconds()
                + " s",
            List.of());
      }
      if (!res.verified()) return refused("container " + ct.getName() + ": " + res.reason());
      results.add(res);
    }
    return new ImageVerdict(
        ImageVerdict.Status.Verified,
        results.size()
            + " image(s) signed"
            + (policy.attestationsOrEmpty().isEmpty() ? "" : " and attested"),
        CosignVerifier.list(results));
  }

  private static ImageVerdict refused(String why) {
    return new ImageVerdict(ImageVerdict.Status.Refused, why, List.of());
  }
}
