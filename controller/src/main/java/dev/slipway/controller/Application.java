package dev.slipway.controller;

import io.micronaut.runtime.Micronaut;

/** The Slipway controller: a Micronaut application running a JOSDK operator. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    Micronaut.build(args).mainClass(Application.class).banner(false).start();
  }
}
