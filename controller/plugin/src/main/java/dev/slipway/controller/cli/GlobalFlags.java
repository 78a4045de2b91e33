package dev.slipway.controller.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * kubectl takes its global flags anywhere on the line ({@code kubectl -n prod get …}). Our
 * subcommands own theirs, so flags typed before the subcommand are moved after it.
 */
final class GlobalFlags {
  /** The global flags that take a value. */
  static final Set<String> WITH_VALUE =
      Set.of("-n", "--namespace", "--context", "--kubeconfig", "--as", "--as-group");

  /** The global flags without one. */
  static final Set<String> SWITCHES = Set.of("-A", "--all-namespaces");

  private GlobalFlags() {}

  /**
   * The arguments with any leading global flags moved behind the subcommand path (before a "--").
   */
  static String[] normalize(String[] args) {
    List<String> leading = new ArrayList<>();
    int i = 0;
    while (i < args.length) {
      int taken = flagAt(args, i);
      if (taken == 0) break;
      for (int k = 0; k < taken; k++) leading.add(args[i + k]);
      i += taken;
    }
    if (leading.isEmpty() || i == args.length) return args;
    List<String> out = new ArrayList<>();
    List<String> rest = List.of(args).subList(i, args.length);
    int dashes = rest.indexOf("--");
    if (dashes < 0) {
      out.addAll(rest);
      out.addAll(leading);
    } else {
      out.addAll(rest.subList(0, dashes));
      out.addAll(leading);
      out.addAll(rest.subList(dashes, rest.size()));
    }
    return out.toArray(String[]::new);
  }

  /** How many words the global flag at {@code i} spans (0: not a global flag). */
  static int flagAt(String[] args, int i) {
    String a = args[i];
    if (SWITCHES.contains(a)) return 1;
    if (WITH_VALUE.contains(a)) return i + 1 < args.length ? 2 : 1;
    int eq = a.indexOf('=');
    if (eq > 0 && WITH_VALUE.contains(a.substring(0, eq))) return 1;
    // kubectl's short form without a space: -nprod
    if (a.startsWith("-n") && a.length() > 2 && !a.startsWith("--")) return 1;
    return 0;
  }

  /**
   * The words that are not global flags or their values: the subcommand path and its own arguments.
   */
  static List<String> withoutFlags(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      int flag = flagAt(args, i);
      if (flag > 0) {
        i += flag - 1;
      } else {
        out.add(args[i]);
      }
    }
    return out;
  }

  /**
   * The connection a completion should use: the -n, --context and --kubeconfig among the words
   * typed.
   */
  static KubeOptions from(List<String> words) {
    KubeOptions k = new KubeOptions();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      String next = i + 1 < words.size() ? words.get(i + 1) : null;
      String value = null;
      String name = w;
      int eq = w.indexOf('=');
      if (w.startsWith("--") && eq > 0) {
        name = w.substring(0, eq);
        value = w.substring(eq + 1);
      } else if (w.startsWith("-n") && w.length() > 2 && !w.startsWith("--")) {
        name = "-n";
        value = w.substring(2);
      } else if (WITH_VALUE.contains(w)) {
        value = next;
      }
      if (value == null) continue;
      switch (name) {
        case "-n", "--namespace" -> k.namespace = value;
        case "--context" -> k.context = value;
        case "--kubeconfig" -> k.kubeconfig = value;
        default -> {}
      }
    }
    return k;
  }
}
