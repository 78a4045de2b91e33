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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image policies a revision must satisfy, its own spec.imagePolicy and each the platform sets
 * for its namespace ({@link PlatformImagePolicies}): every container's image (init containers too)
 * pinned by digest and verified by {@link CosignVerifier} under each. The last verdict of each
 * Rollout is remembered: a verified one as long as the revision and the policies stay (digests
 * cannot change), a refusal or an unreachable registry until {@link #RETRY} has passed.
 */
public final class ImagePolicyCheck {
  static final Duration RETRY = Duration.ofSeconds(30);
  static final String SPEC = "spec.imagePolicy";

  private final CosignVerifier verifier;
  private final Clock clock;
  private final PlatformImagePolicies platform;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** A policy that binds the Rollout, and what messages and evidence call it. */
  record Applied(String source, ImagePolicy policy) {}

  /** The verdict for one revision under its policies, kept by the Rollout's uid. */
  private record Cached(
      String revision, List<Applied> policies, ImageVerdict verdict, Instant at) {}

  public ImagePolicyCheck(CosignVerifier verifier, Clock clock) {
    this(verifier, clock, null);
  }

  /**
   * @param platform the platform's policies by namespace; null: only spec.imagePolicy binds
   */
  public ImagePolicyCheck(CosignVerifier verifier, Clock clock, PlatformImagePolicies platform) {
    this.verifier = verifier;
    this.clock = clock;
    this.platform = platform;
  }

  /**
   * The verdict for the Rollout's template (its revision is {@code revision}) under every policy
   * that binds it; null: none binds.
   */
  public ImageVerdict verdict(Rollout r, String revision) {
    if (r.getSpec() == null || r.getSpec().template() == null) return null;
    List<Applied> policies = new ArrayList<>();
    if (r.getSpec().imagePolicy() != null)
      policies.add(new Applied(SPEC, r.getSpec().imagePolicy()));
    if (platform != null) {
      try {
        for (PlatformImagePolicies.Named n : platform.binding(r.getMetadata().getNamespace())) {
          policies.add(
              new Applied(
                  "policy " + n.name() + " (" + PlatformImagePolicies.CONFIG_MAP + ")",
                  n.policy()));
        }
      } catch (IllegalStateException e) {
        return new ImageVerdict(
            ImageVerdict.Status.Unavailable,
            e.getMessage()
                + "; it is asked again in "
                + PlatformImagePolicies.REREAD.toSeconds()
                + " s",
            List.of());
      }
    }
    if (policies.isEmpty()) return null;
    String uid = r.getMetadata().getUid();
    Cached c = cache.get(uid);
    Instant now = clock.instant();
    if (c != null
        && c.revision().equals(revision)
        && c.policies().equals(policies)
        && (c.verdict().verified() || now.isBefore(c.at().plus(RETRY)))) {
      return c.verdict();
    }
    ImageVerdict v = check(r, policies);
    cache.put(uid, new Cached(revision, List.copyOf(policies), v, now));
    return v;
  }

  /** Forget a deleted Rollout's verdict. */
  public void forget(String uid) {
    cache.remove(uid);
  }

  /**
   * Verified only when every policy verifies; otherwise the first that did not, named when more
   * than the Rollout's own binds. The evidence holds each image's signature under each policy.
   */
  private ImageVerdict check(Rollout r, List<Applied> policies) {
    boolean name = policies.size() > 1 || !policies.get(0).source().equals(SPEC);
    List<Map<String, Object>> evidence = new ArrayList<>();
    int images = 0;
    boolean attested = false;
    for (Applied p : policies) {
      ImageVerdict v = check(r, p.policy());
      if (!v.verified()) {
        return name
            ? new ImageVerdict(v.status(), p.source() + ": " + v.message(), v.evidence())
            : v;
      }
      for (Map<String, Object> e : v.evidence()) {
        Map<String, Object> tagged = new LinkedHashMap<>(e);
        tagged.put("policy", p.source());
        evidence.add(tagged);
      }
      images = v.evidence().size();
      attested |= !p.policy().attestationsOrEmpty().isEmpty();
    }
    return new ImageVerdict(
        ImageVerdict.Status.Verified,
        images
            + " image(s) signed"
            + (attested ? " and attested" : "")
            + " under "
            + String.join(", ", policies.stream().map(Applied::source).toList()),
        evidence);
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
