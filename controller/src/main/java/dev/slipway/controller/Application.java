package dev.slipway.controller;

import dev.slipway.controller.dashboard.InClusterDashboard;
import io.micronaut.runtime.Micronaut;

/** The Slipway controller: a Micronaut application running a JOSDK operator. */
public final class Application {
  private Application() {}

  /**
   * The controller; or, with the first argument {@code dashboard}, the read-only dashboard the
   * chart runs from this same image (one image to build, sign and pull).
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("dashboard")) {
      InClusterDashboard.main(args);
      return;
    }
    Micronaut.build(args).mainClass(Application.class).banner(false).start();
  }
}
