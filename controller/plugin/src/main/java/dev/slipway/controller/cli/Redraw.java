package dev.slipway.controller.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** {@code --watch}: redraw one object on every change until it is deleted or the watch ends. */
final class Redraw {
  private Redraw() {}

  static <T extends HasMetadata> void untilGone(
      Resource<T> resource, T shown, String what, PrintWriter out, Function<T, String> render)
      throws InterruptedException {
    CountDownLatch gone = new CountDownLatch(1);
    String[] version = {shown.getMetadata().getResourceVersion()};
    try (Watch ignored =
        resource.watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, T changed) {
                if (action == Action.DELETED) {
                  out.println(what + " was deleted");
                  out.flush();
                  gone.countDown();
                  return;
                }
                // The watch opens with the object as it is; that frame is already on screen.
                if (changed.getMetadata().getResourceVersion().equals(version[0])) return;
                version[0] = changed.getMetadata().getResourceVersion();
                // Clear the screen and redraw, as kubectl's watch tools do.
                out.print("\033[H\033[2J" + render.apply(changed));
                out.flush();
              }

              @Override
              public void onClose(WatcherException e) {
                gone.countDown();
              }
            })) {
      gone.await();
    }
  }
}
