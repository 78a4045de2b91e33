package dev.slipway.controller.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The plugin's version, and the controller's as its Deployment says (label
 * app.kubernetes.io/version, image).
 */
@Command(name = "version", description = "Print the client's and the controller's versions.")
public final class VersionCommand implements Callable<Integer> {
  /** The root pom's revision, filled in at build time. */
  public static final String CLIENT = clientVersion();

  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--client", description = "Only the client's version; no cluster is asked.")
  boolean clientOnly;

  @Option(
      names = "--controller-namespace",
      defaultValue = "slipway-system",
      description = "Where the controller runs.")
  String controllerNamespace;

  /** What `kubectl slipway --version` prints. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"slipway " + CLIENT};
    }
  }

  static String clientVersion() {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // An unreadable resource in our own jar: say "unknown" rather than fail every command.
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("Client Version: slipway " + CLIENT);
    if (clientOnly) {
      spec.commandLine().getOut().flush();
      return 0;
    }
    try (KubernetesClient client = kube.client()) {
      Deployment d =
          client
              .apps()
              .deployments()
              .inNamespace(controllerNamespace)
              .withName("slipway-controller")
              .get();
      if (d == null) {
        spec.commandLine()
            .getOut()
            .println(
                "Controller Version: none (no Deployment slipway-controller in "
                    + controllerNamespace
                    + ")");
      } else {
        String version =
            d.getMetadata().getLabels() == null
                ? null
                : d.getMetadata().getLabels().get("app.kubernetes.io/version");
        String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        spec.commandLine()
            .getOut()
            .println(
                "Controller Version: slipway "
                    + (version == null ? "unknown" : version)
                    + " ("
                    + image
                    + ")");
      }
    } catch (KubernetesClientException e) {
      spec.commandLine().getOut().println("Controller Version: unknown (" + Errors.plain(e) + ")");
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
