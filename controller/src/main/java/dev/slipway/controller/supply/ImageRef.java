package dev.slipway.controller.supply;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as a container runtime reads it: registry host (docker.io by default),
 * repository, and the digest it is pinned to (null when it names only a tag).
 */
public record ImageRef(String registry, String repository, String digest, String original) {
  private static final Pattern DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");

  public static ImageRef parse(String image) {
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("image " + image + ": digest is not sha256:<64 hex>");
      }
    }
    String registry = "docker.io";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    Matcher tag = Pattern.compile(":[^/:]+$").matcher(rest);
    if (tag.find()) rest = rest.substring(0, tag.start());
    if (registry.equals("docker.io") && !rest.contains("/")) rest = "library/" + rest;
    return new ImageRef(registry, rest, digest, image);
  }

  public boolean pinned() {
    return digest != null;
  }

  /** Where the registry's API answers: plain HTTP on loopback only, as containerd does. */
  public String baseUrl() {
    String host = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    int colon = host.lastIndexOf(':');
    String name =
        host.startsWith("[")
            ? host.substring(0, host.indexOf(']') + 1)
            : colon > 0 ? host.substring(0, colon) : host;
    boolean loopback = name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    return (loopback ? "http://" : "https://") + host;
  }

  /** The tag cosign stores an artifact of this digest under: sha256-HEX.sig, .att. */
  public String cosignTag(String suffix) {
    return digest.replace(':', '-') + "." + suffix;
  }
}
