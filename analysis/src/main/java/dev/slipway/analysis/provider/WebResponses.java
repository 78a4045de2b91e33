package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

/**
 * A web check's answer read at its JSONPath. A number is the value, a boolean is 1 or 0, a string
 * holding a number is that number; nothing there (or null) is NoData, never success; anything else,
 * or an answer that is not JSON, is a Failure naming what was found.
 */
public final class WebResponses {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration PATHS =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private WebResponses() {}

  /** Null when the path is one JSONPath can read, else why not. */
  public static String pathProblem(String jsonPath) {
    try {
      JsonPath p = JsonPath.compile(jsonPath);
      return p.isDefinite()
          ? null
          : "jsonPath " + jsonPath + " may select several values: name one";
    } catch (InvalidPathException | IllegalArgumentException e) {
      return "jsonPath " + jsonPath + " is not a JSONPath: " + e.getMessage();
    }
  }

  public static QueryOutcome value(String body, String jsonPath) {
    String problem = pathProblem(jsonPath);
    if (problem != null) return new QueryOutcome.Failure(problem);
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (Exception e) {
      return new QueryOutcome.Failure("the answer is not JSON");
    }
    if (root == null || root.isMissingNode()) return new QueryOutcome.NoData("an empty answer");
    JsonNode found = JsonPath.using(PATHS).parse(root).read(jsonPath, JsonNode.class);
    if (found == null || found.isNull() || found.isMissingNode()) {
      return new QueryOutcome.NoData("nothing at " + jsonPath);
    }
    if (found.isNumber()) {
      double v = found.doubleValue();
      return Double.isFinite(v)
          ? new QueryOutcome.Value(v)
          : new QueryOutcome.NoData(jsonPath + " is not a finite number");
    }
    if (found.isBoolean()) return new QueryOutcome.Value(found.booleanValue() ? 1 : 0);
    if (found.isTextual()) {
      try {
        double v = Double.parseDouble(found.textValue().strip());
        if (Double.isFinite(v)) return new QueryOutcome.Value(v);
      } catch (NumberFormatException e) {
        // Said below, with what was found.
      }
    }
    String shown = found.toString();
    return new QueryOutcome.Failure(
        jsonPath
            + " holds "
            + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown)
            + ", not a number or a boolean");
  }
}
