package io.agentainer.flow.console.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.sdk.client.FlowEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a view up to date from the server's event stream: while the view is attached, an event
 * stream is open, and each event asks for a redraw, which runs in the UI's session and reaches the
 * browser by server push ({@code @Push} on the app shell). No polling, no reload.
 *
 * <p>Redraws are coalesced: events that arrive while one is asked for or running ask for one more
 * redraw, not one each, and redraws are at least {@link #MIN_GAP} (or the view's gap) apart, so a
 * burst of a thousand job events costs a few redraws. A redraw reads everything afresh, so none is
 * lost: the flag that asks for it is cleared before the redraw reads, and an event after that asks
 * again.
 */
public final class LiveUpdates implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LiveUpdates.class.getName());

  /** The least time between two redraws of one view, unless it asks for another. */
  public static final Duration MIN_GAP = Duration.ofMillis(400);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-live-updates");
            t.setDaemon(true);
            return t;
          });

  private final UI ui;
  private final Runnable redraw;
  private final Consumer<FlowEvent> onEvent;
  private final long gap;
  private final AtomicBoolean asked = new AtomicBoolean();
  private volatile long lastRedraw;
  private volatile boolean closed;
  private AutoCloseable stream;

  private LiveUpdates(UI ui, Runnable redraw, Consumer<FlowEvent> onEvent, Duration gap) {
    this.ui = ui;
    this.redraw = redraw;
    this.onEvent = onEvent;
    this.gap = gap.toNanos();
    this.lastRedraw = System.nanoTime() - this.gap;
  }

  /**
   * Follows, for as long as {@code view} is attached, the stream that {@code open} opens with the
   * callback it is given; each event goes to {@code onEvent} first (on the stream's thread: no UI
   * work there), then asks for {@code redraw} (in the UI's session).
   *
   * @param open opens an event stream that calls the given callback; its result closes it
   * @param onEvent may be null
   * @return opens the stream again (when the view shows something else, say)
   */
  public static Runnable follow(
      Component view,
      Function<Consumer<FlowEvent>, AutoCloseable> open,
      Consumer<FlowEvent> onEvent,
      Runnable redraw) {
    return follow(view, open, onEvent, redraw, MIN_GAP);
  }

  /** {@link #follow(Component, Function, Consumer, Runnable)} with redraws {@code gap} apart. */
  public static Runnable follow(
      Component view,
      Function<Consumer<FlowEvent>, AutoCloseable> open,
      Consumer<FlowEvent> onEvent,
      Runnable redraw,
      Duration gap) {
    LiveUpdates[] current = new LiveUpdates[1];
    Consumer<UI> restart =
        ui -> {
          if (current[0] != null) {
            current[0].close();
          }
          current[0] = start(ui, open, onEvent, redraw, gap);
        };
    view.addAttachListener(attach -> restart.accept(attach.getUI()));
    view.addDetachListener(
        detach -> {
          if (current[0] != null) {
            current[0].close();
            current[0] = null;
          }
        });
    view.getUI().ifPresent(restart);
    return () -> {
      if (current[0] != null) {
        view.getUI().ifPresent(restart);
      }
    };
  }

  /** How far apart the redraws of a view of many runs are at least. */
  public static final Duration EVERY_RUN_GAP = Duration.ofSeconds(1);

  /**
   * Follows every run's events for a view of many runs (a list, a chart): each event asks for
   * {@code redraw}, at most once every {@link #EVERY_RUN_GAP}.
   */
  public static Runnable followEveryRun(Component view, ConsoleSession session, Runnable redraw) {
    return follow(
        view, onEvent -> session.followAll(Set.of(), onEvent), null, redraw, EVERY_RUN_GAP);
  }

  /** Starts following; close the result to stop. */
  static LiveUpdates start(
      UI ui,
      Function<Consumer<FlowEvent>, AutoCloseable> open,
      Consumer<FlowEvent> onEvent,
      Runnable redraw,
      Duration gap) {
    LiveUpdates live = new LiveUpdates(ui, redraw, onEvent, gap);
    live.stream = open.apply(live::arrived);
    return live;
  }

  /** An event: handed on, then a redraw is asked for. Runs on the stream's thread. */
  void arrived(FlowEvent event) {
    if (closed) {
      return;
    }
    if (onEvent != null) {
      onEvent.accept(event);
    }
    changed();
  }

  /** Asks for a redraw, unless one is asked for already. Any thread. */
  public void changed() {
    if (closed || !asked.compareAndSet(false, true)) {
      return;
    }
    long wait = Math.max(0, lastRedraw + gap - System.nanoTime());
    try {
      TIMER.schedule(this::redrawNow, wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      asked.set(false);
    }
  }

  private void redrawNow() {
    try {
      ui.access(
          () -> {
            asked.set(false); // before reading: what arrives from now on asks again
            lastRedraw = System.nanoTime();
            if (!closed) {
              redraw.run();
            }
          });
    } catch (UIDetachedException e) {
      close(); // the page is gone
    } catch (RuntimeException e) {
      asked.set(false);
      LOG.log(Level.WARNING, "a live redraw failed", e);
    }
  }

  /** Stops following: the stream is closed, and no redraw is asked for any more. */
  @Override
  public void close() {
    closed = true;
    if (stream != null) {
      try {
        stream.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing an event stream", e);
      }
    }
  }
}
