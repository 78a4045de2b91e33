package dev.slipway.controller.traffic;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.TrafficView;
import java.util.List;

/** Reads and writes canary weights (and segments and mirrors) for one kind of traffic router. */
public interface TrafficRouter {

  /** The weights as the data plane has accepted them. Never throws for a missing route. */
  TrafficView observe(Rollout rollout);

  /**
   * Writes {@code canaryWeight} (and {@code 100 - canaryWeight} for stable) on the managed
   * backendRefs, and {@code shape}'s segment rules and mirror filter, touching nothing else.
   * Idempotent: writes nothing when the routes already carry them.
   *
   * @return the routes that could not be written, with why (empty when all were)
   */
  List<String> setWeight(Rollout rollout, int canaryWeight, RouteShape shape);
}
