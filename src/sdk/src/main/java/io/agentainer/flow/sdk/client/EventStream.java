package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A run's events as they happen, read from {@code GET /api/workflows/{id}/events/stream} on a
 * daemon thread of its own and handed to a callback in order, one at a time. Made by {@link
 * FlowClient#streamEvents}.
 *
 * <p>When the connection drops, the server closes it, the server cannot be reached, or answers 408,
 * 429 or 5xx, the stream connects again with {@code Last-Event-ID} set to the last event it
 * delivered, so no event is lost or repeated. It pauses before each new attempt: 250 ms (or what
 * the server asked for with {@code retry:}), doubling after each attempt that delivered nothing, up
 * to 5 s. Any other refusal (401, 403, 404, 400) ends the stream, and so does a callback that
 * throws or an event that is not JSON: {@link #failure()} then says why. Otherwise it goes on until
 * {@link #close()}.
 */
public final class EventStream implements AutoCloseable {

  /** The first pause before connecting again. */
  static final Duration FIRST_RECONNECT_DELAY = Duration.ofMillis(250);

  /** The longest pause before connecting again. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

  /** Opens the stream after an event id (0 for the whole history): the lines of a 200 answer. */
  @FunctionalInterface
  interface Connector {
    /**
     * @throws FlowClientException for an answer other than 200 or no answer at all
     */
    Stream<String> open(long lastEventId);
  }

  /** A failure that ends the stream, thrown out of the parser's callback. */
  private static final class Stop extends RuntimeException {
    private final transient RuntimeException reason;

    Stop(RuntimeException reason) {
      super(null, null, false, false);
      this.reason = reason;
    }
  }

  private final Connector connector;
  private final ObjectMapper json;
  private final Consumer<FlowEvent> onEvent;
  private final Consumer<RuntimeException> onFailure;
  private final FlowClient.Sleeper sleeper;
  private final AtomicReference<Stream<String>> connection = new AtomicReference<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closed;
  private volatile long lastEventId;
  private volatile RuntimeException failure;
  private Duration baseDelay = FIRST_RECONNECT_DELAY;
  private int delivered;

  private EventStream(
      String name,
      Connector connector,
      ObjectMapper json,
      long lastEventId,
      Consumer<FlowEvent> onEvent,
      Consumer<RuntimeException> onFailure,
      FlowClient.Sleeper sleeper) {
    this.connector = connector;
    this.json = json;
    this.lastEventId = lastEventId;
    this.onEvent = Objects.requireNonNull(onEvent, "onEvent");
    this.onFailure = onFailure == null ? e -> {} : onFailure;
    this.sleeper = sleeper;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  static EventStream start(
      String name,
      Connector connector,
      ObjectMapper json,
      long lastEventId,
      Consumer<FlowEvent> onEvent,
      Consumer<RuntimeException> onFailure,
      FlowClient.Sleeper sleeper) {
    EventStream stream =
        new EventStream(name, connector, json, lastEventId, onEvent, onFailure, sleeper);
    stream.thread.start();
    return stream;
  }

  /**
   * Stops the stream: the connection is closed and no event is delivered after this returns (except
   * one the callback is handling at this very moment, on the stream's thread). Idempotent; may be
   * called from the callback.
   */
  @Override
  public void close() {
    closed = true;
    Stream<String> open = connection.getAndSet(null);
    if (open != null) {
      open.close(); // wakes a read blocked on the connection
    }
    if (Thread.currentThread() != thread) {
      thread.interrupt(); // wakes a pause or a connection attempt
    }
  }

  /** Whether the stream still delivers events: not closed, and not ended by a failure. */
  public boolean isOpen() {
    return ended.getCount() > 0 && !closed;
  }

  /** The id of the last event delivered (or the one the stream started after). */
  public long lastEventId() {
    return lastEventId;
  }

  /** Why the stream ended by itself, if it did: a refusal, a bad event, or the callback's throw. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Waits until the stream's thread has stopped (after {@link #close()} or a failure).
   *
   * @return whether it stopped in time
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    try {
      Duration delay = baseDelay;
      while (!closed) {
        delivered = 0;
        try {
          read(connector.open(lastEventId));
        } catch (FlowClientException e) {
          if (!closed && !worthRetrying(e)) {
            fail(e);
            return;
          }
        } catch (UncheckedIOException dropped) {
          // the connection broke: connect again
        } catch (Stop stop) {
          if (!closed) {
            fail(stop.reason);
          }
          return;
        } finally {
          connection.set(null);
        }
        if (closed) {
          return;
        }
        delay = delivered > 0 ? baseDelay : delay;
        Thread.interrupted(); // only close() interrupts this thread, and it is not closed
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException e) {
          if (closed) {
            return;
          }
        }
        delay =
            delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0
                ? MAX_RECONNECT_DELAY
                : delay.multipliedBy(2);
      }
    } finally {
      ended.countDown();
    }
  }

  private void read(Stream<String> lines) {
    try (lines) {
      connection.set(lines);
      if (closed) {
        return;
      }
      SseParser parser =
          new SseParser(lastEventId > 0 ? Long.toString(lastEventId) : null, this::dispatch);
      Iterator<String> it = lines.iterator();
      while (!closed && it.hasNext()) {
        parser.line(it.next());
      }
      if (parser.retryMillis() != null) {
        baseDelay = Duration.ofMillis(parser.retryMillis());
      }
    } catch (UncheckedIOException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  private void dispatch(String id, String type, String data) {
    if (closed) {
      return;
    }
    FlowEvent event;
    try {
      event = json.readValue(data, FlowEvent.class);
    } catch (JsonProcessingException e) {
      throw new Stop(
          new FlowClientException(
              200,
              "bad_response",
              "unreadable event " + id + " (" + type + "): " + e.getOriginalMessage(),
              e));
    }
    long sseId = parseId(id);
    if (event.type() == null || (event.id() == 0 && sseId > 0)) {
      event =
          new FlowEvent(
              event.id() == 0 ? sseId : event.id(),
              event.type() == null ? type : event.type(),
              event.workflowId(),
              event.stepId(),
              event.jobId(),
              event.payload(),
              event.at());
    }
    try {
      onEvent.accept(event);
    } catch (RuntimeException e) {
      throw new Stop(e);
    }
    delivered++;
    lastEventId = sseId > 0 ? sseId : Math.max(lastEventId, event.id());
  }

  private static long parseId(String id) {
    if (id == null || id.isBlank()) {
      return 0;
    }
    try {
      return Long.parseLong(id.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void fail(RuntimeException e) {
    failure = e;
    closed = true;
    try {
      onFailure.accept(e);
    } catch (RuntimeException ignored) {
      // the stream has ended either way; failure() still tells why
    }
  }

  private static boolean worthRetrying(FlowClientException e) {
    int status = e.status();
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }
}
