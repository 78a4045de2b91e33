package dev.slipway.e2e.traffic;

import dev.slipway.samples.app.SampleGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC users at a steady rate through a gateway's loopback entrypoint (h2c), told apart by what
 * answered: the sample app's "ok from VERSION", or a failed status whose description is "error from
 * VERSION". Counts as {@link EdgeLoad.Counts}: {@code ok} by version, failed gRPC statuses in place
 * of 5xx (the app's own by version; others naming no version as "(gateway) CODE"), and UNAVAILABLE
 * naming no version as transport errors: a refused or reset connection, or the gateway's own 502 or
 * 503, which gRPC clients read as UNAVAILABLE. It sends to loopback only.
 */
public final class GrpcLoad implements AutoCloseable {
  private final ManagedChannel channel;
  private final MethodDescriptor<byte[], byte[]> method;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "grpc-load");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> transport = new ConcurrentHashMap<>();

  /**
   * Calls {@code method} of the sample app's service at {@code host:port} (loopback), with {@code
   * authority} as the request's :authority (the route's hostname).
   */
  public GrpcLoad(
      String host,
      int port,
      String authority,
      MethodDescriptor<byte[], byte[]> method,
      int callsPerSecond) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException("gRPC load goes to loopback only, not " + host);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(host, e);
    }
    this.method = method;
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .overrideAuthority(authority)
            .build();
    // Stopped by close(); tick() counts its own failures.
    Future<?> unused =
        ticker.scheduleAtFixedRate(
            this::tick, 0, 1_000_000L / callsPerSecond, TimeUnit.MICROSECONDS);
  }

  /** The sample app's Hello method. */
  public GrpcLoad(String host, int port, String authority, int callsPerSecond) {
    this(host, port, authority, SampleGrpc.HELLO, callsPerSecond);
  }

  private void tick() {
    // 30 s: a user's call outlives a machine stall (one run, at a load of 7 on 2 cores, had 5 s
    // deadlines pass for some 10 s of calls while HTTP through the same gateway failed none).
    ClientCall<byte[], byte[]> call =
        channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    ClientCalls.asyncUnaryCall(
        call,
        new byte[0],
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] reply) {
            String body = new String(reply, StandardCharsets.UTF_8);
            int from = body.indexOf(" from ");
            count(ok, from < 0 ? "(no version) " + body : body.substring(from + 6));
          }

          @Override
          public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            String d = s.getDescription() == null ? "" : s.getDescription();
            int from = d.indexOf(" from ");
            if (from >= 0 && d.startsWith("error")) {
              count(failed, d.substring(from + 6));
            } else if (s.getCode() == Status.Code.UNAVAILABLE) {
              count(transport, s.getCode() + (d.isEmpty() ? "" : ": " + d));
            } else {
              count(failed, EdgeLoad.GATEWAY + " " + s.getCode());
            }
          }

          @Override
          public void onCompleted() {}
        });
  }

  private static void count(Map<String, AtomicLong> m, String key) {
    m.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  public EdgeLoad.Counts counts() {
    return new EdgeLoad.Counts(copy(ok), copy(failed), copy(transport));
  }

  private static Map<String, Long> copy(Map<String, AtomicLong> m) {
    Map<String, Long> c = new TreeMap<>();
    m.forEach((k, v) -> c.put(k, v.get()));
    return c;
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    channel.shutdown();
    if (!channel.awaitTermination(10, TimeUnit.SECONDS)) channel.shutdownNow();
  }
}
