package io.agentainer.flow.server.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live streams over a log held in memory, where transactions take ids and commit (or roll back) in
 * any order, as they do in PostgreSQL.
 */
class EventFeedTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final UUID RUN = UUID.randomUUID();
  private static final UUID OTHER = UUID.randomUUID();

  private final Log log = new Log();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final EventFeed feed = new EventFeed();

  /**
   * The event log: the committed events, and the transactions that may be running (from {@code
   * oldest} up to {@code next}), whose events nobody sees yet. As in PostgreSQL, a transaction's
   * events show at the moment it ends.
   */
  private static final class Log extends EventLog {
    private final List<Event> committed = new ArrayList<>();
    private long oldest = 100;
    private long next = 100;
    volatile Runnable onCommit = () -> {};

    /** Transactions up to {@code next} (excluded) have started; those from {@code oldest} run. */
    synchronized void running(long oldest, long next) {
      this.oldest = oldest;
      this.next = next;
    }

    /** A transaction commits events with these ids; the feed hears of it. */
    void commit(UUID run, String type, long... ids) {
      commit(oldest(), run, type, ids);
    }

    /** A transaction commits, after which the oldest running is {@code oldestAfter}. */
    void commit(long oldestAfter, UUID run, String type, long... ids) {
      synchronized (this) {
        for (long id : ids) {
          committed.add(event(id, run, type));
        }
        oldest = oldestAfter;
        next = Math.max(next, oldestAfter);
      }
      onCommit.run();
    }

    synchronized long oldest() {
      return oldest;
    }

    @Override
    public AutoCloseable listen(Runnable onCommit) {
      this.onCommit = onCommit;
      return () -> {};
    }

    @Override
    public synchronized long lastId() {
      return committed.stream().mapToLong(Event::id).max().orElse(0);
    }

    @Override
    public synchronized Committed committedAfter(long afterId, int limit) {
      List<Event> seen =
          committed.stream()
              .filter(e -> e.id() > afterId)
              .sorted(Comparator.comparing(Event::id))
              .limit(limit)
              .toList();
      return new Committed(
          seen.stream().map(Event::id).toList(),
          seen.stream().map(Event::runId).toList(),
          oldest,
          next);
    }

    @Override
    public synchronized List<Event> history(
        UUID runId, List<String> types, long afterId, long upTo, int limit) {
      return committed.stream()
          .filter(e -> runId == null || e.runId().equals(runId))
          .filter(e -> e.id() > afterId && e.id() <= upTo)
          .filter(e -> types.isEmpty() || types.contains(e.type()))
          .sorted(Comparator.comparing(Event::id))
          .limit(limit)
          .toList();
    }
  }

  /** What a client received: the ids, in order. */
  private static final class Client implements EventFeed.Sink {
    final List<Long> ids = new CopyOnWriteArrayList<>();
    volatile boolean gone;

    @Override
    public boolean send(Event event) {
      if (gone) {
        return false;
      }
      ids.add(event.id());
      return true;
    }
  }

  private static Event event(long id, UUID run, String type) {
    Event event = new Event(run, null, null, type, null, T0);
    try {
      Field field = Event.class.getDeclaredField("id");
      field.setAccessible(true);
      field.set(event, id);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return event;
  }

  @BeforeEach
  void wire() {
    feed.log = log;
    feed.clock = Clock.fixed(T0, ZoneOffset.UTC);
    feed.timer =
        (ManagedScheduledExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "execute" -> { // a look at once, on the committing thread
                        ((Runnable) args[0]).run();
                        yield null;
                      }
                      case "schedule" ->
                          timer.schedule((Runnable) args[0], (Long) args[1], (TimeUnit) args[2]);
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    feed.listen();
  }

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
  }

  @Test
  void anEventThatCommitsAfterOneWithABiggerIdIsSentBeforeIt() {
    log.commit(RUN, "run.started", 1, 2);
    log.running(100, 102); // transaction 100 took id 3 and runs on; 101 took 4
    log.commit(RUN, "job.succeeded", 4);
    Client client = new Client();
    feed.open(RUN, List.of(), 0, client);
    assertThat(client.ids).containsExactly(1L, 2L);

    log.commit(OTHER, "job.running", 5); // a look while 100 still runs: 4 still waits
    log.commit(102, RUN, "run.succeeded", 3); // 100 commits id 3 at last

    soon().untilAsserted(() -> assertThat(client.ids).containsExactly(1L, 2L, 3L, 4L));
  }

  @Test
  void anIdWhoseTransactionRolledBackHoldsTheStreamOnlyUntilTheTransactionEnded() {
    log.commit(RUN, "run.started", 1);
    log.running(100, 102); // transaction 100 took id 2; 101 took 3
    log.commit(RUN, "step.started", 3);
    Client client = new Client();
    feed.open(RUN, List.of(), 0, client);
    assertThat(client.ids).containsExactly(1L);

    log.running(102, 102); // 100 rolled back: no commit tells of it, a look soon after finds it
    soon().untilAsserted(() -> assertThat(client.ids).containsExactly(1L, 3L));
  }

  @Test
  void aStreamSendsItsRunsEventsOfTheTypesAskedForAfterTheLastEventId() {
    log.commit(RUN, "job.succeeded", 1);
    log.commit(OTHER, "job.succeeded", 2);
    log.commit(RUN, "job.running", 3);
    log.commit(RUN, "job.succeeded", 4);
    Client client = new Client();
    feed.open(RUN, List.of("job.succeeded", "run.failed"), 1, client);
    assertThat(client.ids).containsExactly(4L);

    log.commit(OTHER, "run.failed", 5);
    log.commit(RUN, "job.running", 6);
    log.commit(RUN, "run.failed", 7);
    soon().untilAsserted(() -> assertThat(client.ids).containsExactly(4L, 7L));
  }

  @Test
  void aStreamOfEveryRunFromNowSendsNoHistoryThenEachRunsEventsOfItsTypes() {
    log.commit(RUN, "run.started", 1);
    log.commit(OTHER, "run.started", 2);
    Client client = new Client();
    feed.open(null, List.of("run.succeeded", "run.failed"), EventFeed.FROM_NOW, client);
    assertThat(client.ids).isEmpty();

    log.commit(RUN, "job.succeeded", 3);
    log.commit(OTHER, "run.failed", 4);
    log.running(100, 102); // transaction 100 took id 5 and runs on
    log.commit(RUN, "run.succeeded", 6);
    log.commit(102, RUN, "run.failed", 5);

    soon().untilAsserted(() -> assertThat(client.ids).containsExactly(4L, 5L, 6L));
  }

  @Test
  void aStreamOfEveryRunResumesAfterItsLastEventId() {
    log.commit(RUN, "run.started", 1);
    log.commit(OTHER, "run.started", 2);
    log.commit(RUN, "run.succeeded", 3);
    Client client = new Client();
    feed.open(null, List.of(), 1, client);
    assertThat(client.ids).containsExactly(2L, 3L);
  }

  @Test
  void aLongHistoryAndALongBatchAreSentWhole() {
    long[] history = LongStream.rangeClosed(1, 2 * EventFeed.PAGE + 17).toArray();
    log.commit(RUN, "job.queued", history);
    Client client = new Client();
    feed.open(RUN, List.of(), 0, client);
    assertThat(client.ids).hasSize(history.length).isSorted();

    long first = history.length + 1;
    log.commit(RUN, "job.running", LongStream.range(first, first + 3 * EventFeed.PAGE).toArray());
    soon().untilAsserted(() -> assertThat(client.ids).hasSize(history.length + 3 * EventFeed.PAGE));
    assertThat(client.ids).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aClientThatIsGoneGetsNothingMoreAndTheOthersGoOn() {
    log.commit(RUN, "run.started", 1);
    Client gone = new Client();
    Client staying = new Client();
    feed.open(RUN, List.of(), 0, gone);
    feed.open(RUN, List.of(), 0, staying);
    gone.gone = true;

    log.commit(RUN, "step.started", 2);
    log.commit(RUN, "step.succeeded", 3);
    soon().untilAsserted(() -> assertThat(staying.ids).containsExactly(1L, 2L, 3L));
    assertThat(gone.ids).containsExactly(1L);
  }

  @Test
  void manyTransactionsCommittingOutOfOrderLoseNothing() {
    Client client = new Client();
    feed.open(RUN, List.of(), 0, client);
    List<Long> expected = new ArrayList<>();
    // transactions 100 + id and 101 + id take ids id and id + 1, and commit the other way round
    for (long id = 1; id <= 200; id += 2) {
      log.running(100 + id, 102 + id);
      log.commit(RUN, "job.succeeded", id + 1);
      log.commit(102 + id, RUN, "job.succeeded", id);
      expected.add(id);
      expected.add(id + 1);
    }
    soon().untilAsserted(() -> assertThat(client.ids).containsExactlyElementsOf(expected));
  }
}
