package dev.slipway.samples.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Argo CD Lua scripts in samples/argocd in a real Lua 5.1 interpreter (Argo CD embeds
 * gopher-lua, a Lua 5.1): the object goes in as a Lua table, the script's result comes out as JSON.
 */
public final class LuaScripts {
  public static final String LUA = System.getenv().getOrDefault("SLIPWAY_LUA", "/usr/bin/lua5.1");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LuaScripts() {}

  public static void requireLua() {
    if (!Files.isExecutable(Path.of(LUA))) {
      throw new IllegalStateException(
          LUA + " is needed: apt-get install lua5.1 (.ci/run does this), or set SLIPWAY_LUA");
    }
  }

  /** Runs {@code script} with {@code obj} bound to the object and returns what it returns. */
  public static JsonNode run(Path script, JsonNode object)
      throws IOException, InterruptedException {
    String harness;
    try (InputStream in = LuaScripts.class.getResourceAsStream("harness.lua")) {
      harness = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String program =
        "obj = "
            + luaLiteral(object)
            + "\nlocal function script()\n"
            + Files.readString(script)
            + "\nend\n"
            + harness;
    Path file = Files.createTempFile("argocd", ".lua");
    Path output = Files.createTempFile("argocd", ".out");
    try {
      Files.writeString(file, program);
      // Output to a file, so waitFor's bound holds even if lua never exits (a read would block).
      Process p =
          new ProcessBuilder(LUA, file.toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean exited = p.waitFor(20, TimeUnit.SECONDS);
      if (!exited) p.destroyForcibly();
      String out = Files.readString(output);
      if (!exited || p.exitValue() != 0) {
        throw new IllegalStateException(
            "lua5.1 "
                + (exited ? "failed" : "timed out after 20 s")
                + " on "
                + script
                + ": "
                + out);
      }
      return JSON.readTree(out);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(output);
    }
  }

  /**
   * A JSON value as a Lua table constructor (null members are left out, as gopher-lua sees them).
   */
  public static String luaLiteral(JsonNode n) {
    if (n == null || n.isNull()) return "nil";
    if (n.isBoolean()) return n.asText();
    if (n.isNumber()) return n.isIntegralNumber() ? n.asText() : Double.toString(n.doubleValue());
    if (n.isTextual()) return luaString(n.asText());
    StringBuilder b = new StringBuilder("{");
    if (n.isArray()) {
      for (JsonNode e : n) b.append(luaLiteral(e)).append(", ");
    } else {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) continue;
        b.append('[')
            .append(luaString(e.getKey()))
            .append("] = ")
            .append(luaLiteral(e.getValue()))
            .append(", ");
      }
    }
    return b.append('}').toString();
  }

  private static String luaString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) b.append(String.format("\\%03d", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
