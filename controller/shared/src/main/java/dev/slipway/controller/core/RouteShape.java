package dev.slipway.controller.core;

import java.util.List;

/**
 * What Slipway puts into a route besides the weights: the segment's rules and the mirror filter.
 * {@link #NONE} is the shape of a route with no canary in flight.
 *
 * @param segment header matches that send a request to the canary; empty for none
 * @param method the gRPC method whose calls go to the canary (GRPCRoutes only); null for none
 * @param mirrorPercent share of the managed rules' requests copied to the canary; 0 for no mirror
 */
public record RouteShape(
    List<Segments.HeaderMatch> segment, Segments.GrpcMethod method, int mirrorPercent) {
  public static final RouteShape NONE = new RouteShape(List.of(), 0);

  public RouteShape {
    segment = List.copyOf(segment);
  }

  /** A shape without a gRPC method. */
  public RouteShape(List<Segments.HeaderMatch> segment, int mirrorPercent) {
    this(segment, null, mirrorPercent);
  }

  /** Whether a segment rule is wanted: a header or a method to match. */
  public boolean hasSegment() {
    return !segment.isEmpty() || method != null;
  }

  public boolean none() {
    return !hasSegment() && mirrorPercent == 0;
  }
}
