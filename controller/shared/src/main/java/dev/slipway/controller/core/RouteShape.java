package dev.slipway.controller.core;

import java.util.List;

/**
 * What Slipway puts into a route besides the weights: the header segment's rules and the mirror
 * filter. {@link #NONE} is the shape of a route with no canary in flight.
 *
 * @param segment header matches that send a request to the canary; empty for no segment rule
 * @param mirrorPercent share of the managed rules' requests copied to the canary; 0 for no mirror
 */
public record RouteShape(List<Segments.HeaderMatch> segment, int mirrorPercent) {
  public static final RouteShape NONE = new RouteShape(List.of(), 0);

  public RouteShape {
    segment = List.copyOf(segment);
  }

  public boolean none() {
    return segment.isEmpty() && mirrorPercent == 0;
  }
}
