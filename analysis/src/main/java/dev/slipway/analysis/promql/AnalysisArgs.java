package dev.slipway.analysis.promql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Values a query may refer to as {{args.NAME}}. The typed ones are always present; templates may
 * declare more. {@code revision} and {@code service} name the side being measured, so one template
 * reads the canary and, for a baseline, the stable.
 */
public record AnalysisArgs(
    String rollout,
    String namespace,
    String stableHash,
    String canaryHash,
    String stableService,
    String canaryService,
    Map<String, String> extra) {

  public AnalysisArgs {
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(namespace, "namespace");
    stableHash = stableHash == null ? "" : stableHash;
    canaryHash = canaryHash == null ? "" : canaryHash;
    stableService = stableService == null ? "" : stableService;
    canaryService = canaryService == null ? "" : canaryService;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public String hash(Side side) {
    return side == Side.CANARY ? canaryHash : stableHash;
  }

  public String service(Side side) {
    return side == Side.CANARY ? canaryService : stableService;
  }

  /** Every name a template may use, for one side. Typed names win over declared ones. */
  public Map<String, String> forSide(Side side) {
    Map<String, String> all = new LinkedHashMap<>(extra);
    all.put("rollout", rollout);
    all.put("namespace", namespace);
    all.put("stableHash", stableHash);
    all.put("canaryHash", canaryHash);
    all.put("stableService", stableService);
    all.put("canaryService", canaryService);
    all.put("revision", hash(side));
    all.put("service", service(side));
    return all;
  }
}
