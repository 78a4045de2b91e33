package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.Rollout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Exclusive ownership: a Service, or a rule of an HTTPRoute, is managed by at most one Rollout.
 * When two name the same, the older one (by creation, then name) keeps it and the younger one gets
 * a clear condition and writes nothing, so two Rollouts never fight over one Service pair. Derived
 * from the Rollouts themselves, so it needs no lock objects and heals when one goes. Pure.
 */
public final class Claims {
  private static final Comparator<Rollout> SENIORITY =
      Comparator.comparing(
              (Rollout r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(r -> r.getMetadata().getName());

  private Claims() {}

  /** Why {@code self} must not write (an older Rollout owns what it names), or null. */
  public static String conflict(Rollout self, List<Rollout> peers) {
    CanaryStrategy mine = canary(self);
    if (mine == null) {
      return null;
    }
    String ns = self.getMetadata().getNamespace();
    for (Rollout p : olderClaimants(self, peers)) {
      CanaryStrategy theirs = canary(p);
      if (theirs == null) {
        continue;
      }
      String who = "Rollout " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
      if (Objects.equals(p.getMetadata().getNamespace(), ns)) {
        for (String svc : Arrays.asList(mine.stableService(), mine.canaryService())) {
          if (svc != null
              && (svc.equals(theirs.stableService()) || svc.equals(theirs.canaryService()))) {
            return "Service "
                + ns
                + "/"
                + svc
                + " is managed by "
                + who
                + " (the older claim); this Rollout writes nothing until it lets go";
          }
        }
      }
      String rule = sharedRule(self, mine, p, theirs);
      if (rule != null) {
        return rule
            + " is managed by "
            + who
            + " (the older claim); this Rollout writes nothing until it lets go";
      }
    }
    return null;
  }

  /**
   * Why {@code self} must not adopt the Deployment its workloadRef names (an older Rollout names it
   * too), or null.
   */
  public static String workloadClaim(Rollout self, List<Rollout> peers) {
    var ref = self.getSpec() == null ? null : self.getSpec().workloadRef();
    if (ref == null) {
      return null;
    }
    String ns = self.getMetadata().getNamespace();
    for (Rollout p : olderClaimants(self, peers)) {
      if (!Objects.equals(p.getMetadata().getNamespace(), ns)) {
        continue;
      }
      var theirs = p.getSpec() == null ? null : p.getSpec().workloadRef();
      if (theirs != null
          && ref.name().equals(theirs.name())
          && ref.kindName().equals(theirs.kindName())) {
        return ref.kindName()
            + " "
            + ns
            + "/"
            + ref.name()
            + " is named by Rollout "
            + ns
            + "/"
            + p.getMetadata().getName()
            + " (the older claim); this Rollout writes nothing until it lets go";
      }
    }
    return null;
  }

  /**
   * The other Rollouts, oldest first, whose claims come before {@code self}'s: not itself, not
   * being deleted.
   */
  private static List<Rollout> olderClaimants(Rollout self, List<Rollout> peers) {
    String ns = self.getMetadata().getNamespace();
    return peers.stream()
        .sorted(SENIORITY)
        .filter(
            p ->
                !(p.getMetadata().getName().equals(self.getMetadata().getName())
                    && Objects.equals(p.getMetadata().getNamespace(), ns)))
        .filter(
            p -> p.getMetadata().getDeletionTimestamp() == null && SENIORITY.compare(p, self) < 0)
        .toList();
  }

  /**
   * A route rule both name explicitly ("rule r of HTTPRoute ns/name"; GRPCRoutes alike), or null.
   */
  private static String sharedRule(
      Rollout self, CanaryStrategy mine, Rollout peer, CanaryStrategy theirs) {
    GatewayApiRouting a = gateway(mine);
    GatewayApiRouting b = gateway(theirs);
    if (a == null || b == null) {
      return null;
    }
    String nsA = a.routeNamespace(self.getMetadata().getNamespace());
    String nsB = b.routeNamespace(peer.getMetadata().getNamespace());
    if (!nsA.equals(nsB)) {
      return null;
    }
    String http =
        shared(
            "HTTPRoute",
            nsA,
            a.httpRoutesOrEmpty().stream().map(r -> new Named(r.name(), r.rules())).toList(),
            b.httpRoutesOrEmpty().stream().map(r -> new Named(r.name(), r.rules())).toList());
    if (http != null) {
      return http;
    }
    return shared(
        "GRPCRoute",
        nsA,
        a.grpcRoutesOrEmpty().stream().map(r -> new Named(r.name(), r.rules())).toList(),
        b.grpcRoutesOrEmpty().stream().map(r -> new Named(r.name(), r.rules())).toList());
  }

  /** A route reference of either kind: its name and the rules it selects. */
  private record Named(String name, List<String> rules) {}

  private static String shared(String kind, String ns, List<Named> mine, List<Named> theirs) {
    for (Named ra : mine) {
      for (Named rb : theirs) {
        if (ra.name() == null || !ra.name().equals(rb.name())) {
          continue;
        }
        if (ra.rules() == null
            || ra.rules().isEmpty()
            || rb.rules() == null
            || rb.rules().isEmpty()) {
          // Without rule names a Rollout writes every rule that holds its backends: both would
          // write the same ones.
          return kind
              + " "
              + ns
              + "/"
              + ra.name()
              + " (its rules are not named, so both Rollouts would write the same ones)";
        }
        List<String> both = new ArrayList<>(ra.rules());
        both.retainAll(rb.rules());
        if (!both.isEmpty()) {
          return "rule " + both.get(0) + " of " + kind + " " + ns + "/" + ra.name();
        }
      }
    }
    return null;
  }

  private static CanaryStrategy canary(Rollout r) {
    return r.getSpec() == null || r.getSpec().strategy() == null
        ? null
        : r.getSpec().strategy().plan();
  }

  private static GatewayApiRouting gateway(CanaryStrategy c) {
    return c.trafficRouting() == null ? null : c.trafficRouting().gatewayAPI();
  }
}
