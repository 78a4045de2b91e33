package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RequestAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plugin sends the one-liner patch of docs/kubectl.md, byte for byte, with only requestedBy
 * added.
 */
class RequestPatchTest {

  @Test
  void pluginPatchIsTheDocumentedOneLiner() throws Exception {
    String readme = Files.readString(Path.of("../../docs/kubectl.md"));
    Matcher m =
        Pattern.compile(
                "--subresource=status --type=merge -p '(\\{\"status\":\\{\"request\":\\{\"action\":\"(\\w+)\"}}})'")
            .matcher(readme);
    List<RequestAction> seen = new ArrayList<>();
    while (m.find()) {
      RequestAction a = RequestAction.valueOf(m.group(2));
      assertEquals(m.group(1), RequestCommands.patch(a, null));
      seen.add(a);
    }
    assertEquals(
        List.of(RequestAction.values()),
        seen,
        "docs/kubectl.md shows a one-liner for every action, in order");
    assertEquals(
        "{\"status\":{\"request\":{\"action\":\"Abort\",\"requestedBy\":\"alice \\\"the\\\" admin\"}}}",
        RequestCommands.patch(RequestAction.Abort, "alice \"the\" admin"));
    assertTrue(
        RequestCommands.patch(RequestAction.Pause, "x")
            .startsWith(RequestCommands.patch(RequestAction.Pause, null).replace("}}}", "")));
  }
}
