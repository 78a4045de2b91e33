package dev.slipway.e2e.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Reads a properties file Maven filled in from the root pom (the version lives only there). */
final class Versions {
  private Versions() {}

  static Properties load(Class<?> beside, String name) {
    Properties p = new Properties();
    try (InputStream in = beside.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            name + " is missing beside " + beside.getName() + ": build with Maven");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
