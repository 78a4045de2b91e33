package dev.slipway.api.v1alpha1;

/** Schema stand-in for embedded Kubernetes objects whose own API validates them. */
public final class OpaqueObject {
  private OpaqueObject() {}
}
