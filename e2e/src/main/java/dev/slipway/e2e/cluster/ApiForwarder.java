package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The API server as pods on the real node reach it: a TCP relay from the pod bridge's host side to
 * the API server on 127.0.0.1. The API server itself keeps listening on loopback only, and no
 * Service ClusterIP or kube-proxy is involved.
 */
final class ApiForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final int target;

  ApiForwarder(String bindIp, int port, int target) {
    this.target = target;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(bindIp), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bindIp + ":" + port, e);
    }
    Thread t = new Thread(this::accept, "api-forwarder");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream i = from.getInputStream();
                  OutputStream o = to.getOutputStream()) {
                i.transferTo(o);
              } catch (IOException ignored) {
                // the other side closed; closing both below ends the peer thread too
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "api-forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
