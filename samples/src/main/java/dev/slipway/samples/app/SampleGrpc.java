package dev.slipway.samples.app;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample app's gRPC port: service {@value #SERVICE} with two unary methods, {@code Hello} and
 * {@code Preview}, bytes in and out (no generated stubs: a gateway routes gRPC by its path and
 * headers, never by the message). Each answers "ok from VERSION", or fails the same share of calls
 * as the HTTP port with status UNAVAILABLE ("error from VERSION"), which travels as HTTP 200: only
 * the gRPC status tells it. Metrics as the gRPC Prometheus interceptors name them: {@code
 * grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}} and {@code
 * grpc_server_handling_seconds}.
 */
public final class SampleGrpc implements AutoCloseable {
  public static final String SERVICE = "slipway.sample.Greeter";
  public static final MethodDescriptor<byte[], byte[]> HELLO = method("Hello");
  public static final MethodDescriptor<byte[], byte[]> PREVIEW = method("Preview");

  private final SampleApp.Settings settings;
  private final Server server;
  private final Counter handled;
  private final Histogram seconds;
  private final AtomicLong served = new AtomicLong();

  SampleGrpc(SampleApp.Settings settings, PrometheusRegistry registry) {
    this.settings = settings;
    this.handled =
        Counter.builder()
            .name("grpc_server_handled_total")
            .help("gRPC calls completed, by method and status code")
            .labelNames("grpc_service", "grpc_method", "grpc_type", "grpc_code")
            .register(registry);
    this.seconds =
        Histogram.builder()
            .name("grpc_server_handling_seconds")
            .help("gRPC call latency")
            .labelNames("grpc_service", "grpc_method", "grpc_type")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(HELLO, ServerCalls.asyncUnaryCall((req, out) -> answer(HELLO, out)))
            .addMethod(PREVIEW, ServerCalls.asyncUnaryCall((req, out) -> answer(PREVIEW, out)))
            .build();
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(settings.bind(), settings.grpcPort()))
            .addService(service)
            .build();
  }

  SampleGrpc start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("gRPC port " + settings.grpcPort(), e);
    }
    return this;
  }

  int port() {
    return server.getPort();
  }

  private void answer(MethodDescriptor<byte[], byte[]> m, StreamObserver<byte[]> out) {
    long start = System.nanoTime();
    boolean fail = SampleApp.fails(served.getAndIncrement(), settings.errorRate());
    SampleApp.pause(settings.latencyMs());
    String code;
    if (fail) {
      code = "Unavailable";
      out.onError(
          Status.UNAVAILABLE.withDescription("error from " + settings.version()).asException());
    } else {
      code = "OK";
      out.onNext(("ok from " + settings.version()).getBytes(StandardCharsets.UTF_8));
      out.onCompleted();
    }
    String method = m.getBareMethodName();
    handled.labelValues(SERVICE, method, "unary", code).inc();
    seconds.labelValues(SERVICE, method, "unary").observe((System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
  }

  private static MethodDescriptor<byte[], byte[]> method(String name) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(Bytes.INSTANCE)
        .setResponseMarshaller(Bytes.INSTANCE)
        .build();
  }

  /** Messages as raw bytes: the sample needs no schema. */
  enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL
            .withDescription("unreadable message")
            .withCause(e)
            .asRuntimeException();
      }
    }
  }
}
