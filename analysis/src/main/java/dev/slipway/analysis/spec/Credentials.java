package dev.slipway.analysis.spec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Provider credentials. toString never shows the secret, so a log line cannot leak it. */
public sealed interface Credentials {
  Credentials NONE = new None();

  /** The Authorization header value, if any. */
  Optional<String> authorization();

  record None() implements Credentials {
    @Override
    public Optional<String> authorization() {
      return Optional.empty();
    }
  }

  record Bearer(String token) implements Credentials {
    @Override
    public Optional<String> authorization() {
      return Optional.of("Bearer " + token);
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }

  record Basic(String username, String password) implements Credentials {
    @Override
    public Optional<String> authorization() {
      String raw = username + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
      return "Basic[" + username + ", redacted]";
    }
  }
}
