package dev.slipway.controller.kube;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;

/**
 * Where a pass reads the objects it manages: ReplicaSets, routes, Services. In the controller, the
 * informers' caches (no request on the path from a decision to its action); in tests and tools, the
 * API directly. A cache may lag: every write is pinned to the resourceVersion it read, so a stale
 * read costs a retry (409), never a lost change.
 */
public interface ClusterReads {
  /** The ReplicaSets labelled as this Rollout's (ownership is checked by the caller). */
  List<ReplicaSet> replicaSets(Rollout r);

  /** The route, or null when it does not exist. */
  HTTPRoute route(String namespace, String name);

  /** The GRPCRoute, or null when it (or the GRPCRoute API) does not exist. */
  GRPCRoute grpcRoute(String namespace, String name);

  /** The Service, or null when it does not exist. */
  Service service(String namespace, String name);

  /**
   * The Rollout's pods, read from the API: no informer holds pods (there are many, and only a
   * restart needs them).
   */
  List<Pod> pods(Rollout r);

  /**
   * A Deployment to adopt (spec.workloadRef), or null. Read directly: adoptions are few and short.
   */
  Deployment deployment(String namespace, String name);

  /** A StatefulSet walked in place (spec.workloadRef), or null; read directly, as a Deployment. */
  StatefulSet statefulSet(String namespace, String name);

  /** The pods these labels select (a StatefulSet's), read from the API. */
  List<Pod> pods(String namespace, Map<String, String> labels);

  /** A DaemonSet walked node by node (spec.workloadRef), or null; read directly. */
  DaemonSet daemonSet(String namespace, String name);

  /** The ControllerRevisions these labels select (a DaemonSet's), read from the API. */
  List<ControllerRevision> controllerRevisions(String namespace, Map<String, String> labels);

  /**
   * The cluster's nodes, read from the API in one list, for a DaemonSet walked node by node only.
   */
  List<Node> nodes();

  static ClusterReads direct(KubernetesClient client) {
    return new ClusterReads() {
      @Override
      public List<ReplicaSet> replicaSets(Rollout r) {
        return client
            .apps()
            .replicaSets()
            .inNamespace(r.getMetadata().getNamespace())
            .withLabel(Labels.ROLLOUT, r.getMetadata().getName())
            .list()
            .getItems();
      }

      @Override
      public List<Pod> pods(Rollout r) {
        return client
            .pods()
            .inNamespace(r.getMetadata().getNamespace())
            .withLabel(Labels.ROLLOUT, r.getMetadata().getName())
            .list()
            .getItems();
      }

      @Override
      public HTTPRoute route(String namespace, String name) {
        try {
          return client.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) return null;
          throw e;
        }
      }

      @Override
      public GRPCRoute grpcRoute(String namespace, String name) {
        try {
          return client.resources(GRPCRoute.class).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) return null;
          throw e;
        }
      }

      @Override
      public Service service(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name).get();
      }

      @Override
      public Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
      }

      @Override
      public StatefulSet statefulSet(String namespace, String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
      }

      @Override
      public List<Pod> pods(String namespace, Map<String, String> labels) {
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
      }

      @Override
      public DaemonSet daemonSet(String namespace, String name) {
        return client.apps().daemonSets().inNamespace(namespace).withName(name).get();
      }

      @Override
      public List<ControllerRevision> controllerRevisions(
          String namespace, Map<String, String> labels) {
        return client
            .apps()
            .controllerRevisions()
            .inNamespace(namespace)
            .withLabels(labels)
            .list()
            .getItems();
      }

      @Override
      public List<Node> nodes() {
        return client.nodes().list().getItems();
      }
    };
  }

  /** Reads that can be pointed at the informers once they exist (the reconciler does so). */
  final class Switchable implements ClusterReads {
    private volatile ClusterReads delegate;

    public Switchable(ClusterReads initial) {
      this.delegate = initial;
    }

    public void use(ClusterReads reads) {
      this.delegate = reads;
    }

    @Override
    public List<ReplicaSet> replicaSets(Rollout r) {
      return delegate.replicaSets(r);
    }

    @Override
    public HTTPRoute route(String namespace, String name) {
      return delegate.route(namespace, name);
    }

    @Override
    public GRPCRoute grpcRoute(String namespace, String name) {
      return delegate.grpcRoute(namespace, name);
    }

    @Override
    public List<Pod> pods(Rollout r) {
      return delegate.pods(r);
    }

    @Override
    public Service service(String namespace, String name) {
      return delegate.service(namespace, name);
    }

    @Override
    public Deployment deployment(String namespace, String name) {
      return delegate.deployment(namespace, name);
    }

    @Override
    public StatefulSet statefulSet(String namespace, String name) {
      return delegate.statefulSet(namespace, name);
    }

    @Override
    public List<Pod> pods(String namespace, Map<String, String> labels) {
      return delegate.pods(namespace, labels);
    }

    @Override
    public DaemonSet daemonSet(String namespace, String name) {
      return delegate.daemonSet(namespace, name);
    }

    @Override
    public List<ControllerRevision> controllerRevisions(
        String namespace, Map<String, String> labels) {
      return delegate.controllerRevisions(namespace, labels);
    }

    @Override
    public List<Node> nodes() {
      return delegate.nodes();
    }
  }
}
