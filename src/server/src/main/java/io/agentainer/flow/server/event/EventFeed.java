package io.agentainer.flow.server.event;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds this node's live event streams from the log, in id order and without skipping any event.
 *
 * <p>A commit that wrote events is only a wake-up: the feed then looks at what the log holds beyond
 * its {@link EventHorizon} (the id up to which every event is committed or never will be), moves
 * the horizon, and each stream of a run that got events reads them from the log, after the last id
 * it sent and up to the horizon. An event that commits after one with a bigger id is thus sent
 * before it, not skipped; the price is that events behind a transaction still running wait for it
 * (a look every {@link #RECHECK} while they do, at most {@link #LONGEST_HOLD}).
 *
 * <p>Events written on another server node are read at this node's next look: when it writes an
 * event itself, or while a gap holds its horizon.
 */
@ApplicationScoped
public class EventFeed {

  private static final Logger LOG = Logger.getLogger(EventFeed.class.getName());

  /** Ids read at a time, by a look and by a stream. */
  static final int PAGE = 1000;

  /** How soon to look again while an uncommitted id holds the horizon. */
  static final Duration RECHECK = Duration.ofMillis(100);

  /** How long a transaction that took an id and has not ended holds the horizon at most. */
  static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

  /** How far below the last id the first look of a node starts: transactions may be open there. */
  static final long LOOKBACK = 10_000;

  @Inject EventLog log;
  @Inject Clock clock;

  @Resource(lookup = "java:jboss/ee/concurrency/scheduler/flow-timer")
  ManagedScheduledExecutorService timer;

  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final ReentrantLock looking = new ReentrantLock();
  private final AtomicBoolean lookAsked = new AtomicBoolean();
  private final AtomicBoolean recheckAsked = new AtomicBoolean();
  private EventHorizon horizon; // while a stream is open; guarded by looking

  /** Where a stream's events go: the client's connection. */
  public interface Sink {

    /**
     * Sends {@code event}.
     *
     * @return false when the client is gone: the stream ends
     */
    boolean send(Event event);

    /** Ends the client's connection: its stream has ended. */
    default void close() {}
  }

  @PostConstruct
  void listen() {
    log.listen(this::ask);
  }

  /** As {@code afterId} of {@link #open}: the events from now on, none of the history. */
  public static final long FROM_NOW = -1;

  /**
   * Opens a stream of {@code run}'s events (every run's when {@code run} is null) of {@code types}
   * (all when empty) after {@code afterId} ({@link #FROM_NOW}: from the events not yet settled on):
   * those in the log first, then the new ones as they commit.
   *
   * @return closes the stream
   */
  public AutoCloseable open(UUID run, List<String> types, long afterId, Sink sink) {
    Stream stream = new Stream(run, List.copyOf(types), afterId, sink);
    try {
      long settled;
      looking.lock();
      try {
        boolean first = streams.isEmpty(); // then the horizon is stale, if any: start over
        streams.add(stream); // from now on, a commit asks for a look
        if (horizon == null || first) {
          horizon = new EventHorizon(Math.max(0, log.lastId() - LOOKBACK), LONGEST_HOLD);
          look();
        }
        settled = horizon.settled();
        stream.startAt(settled);
      } finally {
        looking.unlock();
      }
      stream.sendUpTo(settled); // a look meanwhile sends through the same cursor: nothing twice
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
    return stream::close;
  }

  /** Something was committed: look at the log soon, on the timer's thread. */
  void ask() {
    if (streams.isEmpty() || !lookAsked.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.execute(this::lookNow);
    } catch (RejectedExecutionException e) {
      lookAsked.set(false);
      LOG.log(Level.WARNING, "cannot look at the event log now; the next commit will", e);
    }
  }

  private void lookNow() {
    lookAsked.set(false); // a commit from now on asks for another look
    looking.lock();
    try {
      look();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "reading the event log for the live streams failed; trying again", e);
      askAgainSoon();
    } finally {
      looking.unlock();
    }
  }

  /**
   * Moves the horizon over what is committed, then sends each stream of a run that got events up to
   * it. Holds {@link #looking}.
   */
  private void look() {
    if (horizon == null) {
      return;
    }
    Set<UUID> runs = new HashSet<>();
    while (true) {
      long before = horizon.settled();
      EventLog.Committed seen = log.committedAfter(before, PAGE);
      long settled =
          horizon.advance(
              new EventHorizon.Look(
                  seen.ids(), seen.oldestRunning(), seen.nextTransaction(), clock.instant()));
      for (int i = 0; i < seen.ids().size() && seen.ids().get(i) <= settled; i++) {
        runs.add(seen.runs().get(i));
      }
      if (settled == before || seen.ids().size() < PAGE || horizon.holding()) {
        break;
      }
    }
    long settled = horizon.settled();
    for (Stream stream : streams) {
      if (stream.run == null ? !runs.isEmpty() : runs.contains(stream.run)) {
        stream.sendUpTo(settled);
      }
    }
    if (streams.isEmpty()) {
      horizon = null; // nobody listens: no looks until the next stream starts over
    } else if (horizon.holding()) {
      askAgainSoon();
    }
  }

  private void askAgainSoon() {
    if (!recheckAsked.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.schedule(
          () -> {
            recheckAsked.set(false);
            ask();
          },
          RECHECK.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      recheckAsked.set(false);
    }
  }

  /** One client's stream: what it asked for, and how far it has read the log. */
  private final class Stream {
    final UUID run; // null: every run
    final List<String> types;
    final Sink sink;
    private long through; // every event of the run up to here was sent, or is not asked for
    private volatile boolean closed;

    Stream(UUID run, List<String> types, long afterId, Sink sink) {
      this.run = run;
      this.types = types;
      this.through = afterId;
      this.sink = sink;
    }

    /** A stream {@link #FROM_NOW} starts at {@code settled}: what is settled is history. */
    synchronized void startAt(long settled) {
      if (through == FROM_NOW) {
        through = settled;
      }
    }

    /** Sends the run's events after the last one read, up to {@code settled}, in id order. */
    synchronized void sendUpTo(long settled) {
      while (!closed && through < settled) {
        List<Event> events = log.history(run, types, through, settled, PAGE);
        for (Event event : events) {
          if (!sink.send(event)) {
            close();
            return;
          }
          through = event.id();
        }
        if (events.size() < PAGE) {
          through = settled;
        }
      }
    }

    /**
     * Ends the stream and its client's connection (so a client whose event could not be sent
     * connects again and resumes after the last one it got); the next look forgets it.
     */
    void close() {
      closed = true;
      streams.remove(this);
      sink.close();
    }
  }
}
