package io.agentainer.flow.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.infra.redis.RedisConnector;
import io.agentainer.flow.server.infra.redis.RedisHotCounters;
import io.agentainer.flow.server.testing.PostgresExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * The state store against the real PostgreSQL and Redis (database 5 of 127.0.0.1:6379, which these
 * tests own and flush).
 */
@ExtendWith(PostgresExtension.class)
class StateStoreTest {

  private static final String REDIS = "redis://127.0.0.1:6379/5";

  private final DataSource ds;
  private final TestSettings settings = new TestSettings();
  private final RedisConnector connector = new RedisConnector(settings);
  private StateStore store;
  private UUID run;

  StateStoreTest(DataSource ds) {
    this.ds = ds;
  }

  /** Settings of the store under test; Redis on or off per test. */
  static final class TestSettings extends FlowSettings {
    volatile boolean redis = true;
    volatile int inlineLimit = 1024;
    volatile String redisUrlOverride;

    @Override
    public String redisUrl() {
      return redisUrlOverride != null ? redisUrlOverride : REDIS;
    }

    @Override
    public Duration redisTimeout() {
      return Duration.ofSeconds(2);
    }

    @Override
    public int stateInlineLimit() {
      return inlineLimit;
    }

    @Override
    public boolean stateHotCountersInRedis() {
      return redis;
    }

    @Override
    public Duration retention() {
      return Duration.ofDays(30);
    }
  }

  @BeforeEach
  void setUp() throws SQLException {
    redis().flushDB();
    store = store(Clock.systemUTC());
    store.settleHotCounters();
    run = newRun(ds, "P30D");
  }

  @AfterEach
  void closeRedis() {
    connector.client().close();
  }

  private StateStore store(Clock clock) {
    StateStore s = new StateStore();
    s.dataSource = ds;
    s.hot = new RedisHotCounters(connector);
    s.settings = settings;
    s.clock = clock;
    s.blobs = new StateBlobs();
    s.dirty = new DirtyKeys();
    return s;
  }

  private RedisClient redis() {
    return connector.client();
  }

  static UUID newRun(DataSource ds, String retention) throws SQLException {
    UUID run = UUID.randomUUID();
    try (Connection c = ds.getConnection();
        PreparedStatement def =
            c.prepareStatement(
                "insert into definition (name, version, spec, spec_hash, created_at)"
                    + " values (?, 1, cast(? as jsonb), 'h', now())");
        PreparedStatement insert =
            c.prepareStatement(
                "insert into run (id, definition_id, status, created_at, started_at) values (?,"
                    + " (select id from definition where name = ?), 'RUNNING', now(), now())")) {
      String name = "st-" + run.toString().substring(0, 8);
      def.setString(1, name);
      def.setString(2, retention == null ? "{}" : "{\"retention\": \"" + retention + "\"}");
      def.executeUpdate();
      insert.setObject(1, run);
      insert.setString(2, name);
      insert.executeUpdate();
    }
    return run;
  }

  private static JsonNode json(String text) {
    return StateValues.read(text);
  }

  private static StateInput.Value value(String json) {
    return StateInput.Value.inline(json(json));
  }

  private static final StateStore.Actor OP = StateStore.Actor.OPERATOR;

  // ---- operations ------------------------------------------------------------------------------

  @Test
  void everyOperationChangesTheValueAndLeavesAHistoryRow() {
    store.put(run, "name", value("\"wordcount\""), OP);
    assertThat(store.increment(run, "n", BigDecimal.valueOf(5), OP).asLong()).isEqualTo(5);
    assertThat(store.increment(run, "n", BigDecimal.valueOf(-2), OP).asLong()).isEqualTo(3);
    assertThat(store.increment(run, "price", new BigDecimal("0.1"), OP).decimalValue())
        .isEqualByComparingTo("0.1");
    assertThat(store.increment(run, "price", new BigDecimal("0.2"), OP).decimalValue())
        .isEqualByComparingTo("0.3");
    store.append(run, "log", json("\"a\""), OP);
    store.append(run, "log", json("{\"b\": 1}"), OP);
    assertThat(store.addToSet(run, "tags", json("\"x\""), OP)).isTrue();
    assertThat(store.addToSet(run, "tags", json("\"x\""), OP)).isFalse();
    assertThat(store.addToSet(run, "tags", json("1"), OP)).isTrue();
    assertThat(store.addToSet(run, "tags", json("1.0"), OP)).isFalse();
    assertThat(store.compareAndSwap(run, "lock", null, json("\"me\""), OP).swapped()).isTrue();
    assertThat(store.compareAndSwap(run, "lock", null, json("\"you\""), OP).swapped()).isFalse();
    StateStore.Swap swap = store.compareAndSwap(run, "lock", json("\"me\""), json("\"you\""), OP);
    assertThat(swap.swapped()).isTrue();
    assertThat(swap.value().asText()).isEqualTo("you");
    store.put(run, "gone", value("true"), OP);
    assertThat(store.delete(run, "gone", OP)).isTrue();
    assertThat(store.delete(run, "gone", OP)).isFalse();

    Map<String, JsonNode> state = store.snapshot(run);
    assertThat(state)
        .containsOnlyKeys("name", "n", "price", "log", "tags", "lock")
        .containsEntry("name", json("\"wordcount\""))
        .containsEntry("n", json("3"))
        .containsEntry("log", json("[\"a\", {\"b\": 1}]"))
        .containsEntry("tags", json("[\"x\", 1]"))
        .containsEntry("lock", json("\"you\""));
    assertThat(state.get("price").toString()).isEqualTo("0.3");
    assertThat(store.get(run, "n")).contains(json("3"));
    assertThat(store.get(run, "gone")).isEmpty();

    var history = store.history(run, null, null, null, 0, 100);
    assertThat(history.items())
        .extracting(c -> c.op().name() + " " + c.key())
        .containsExactly(
            "PUT name",
            "INCREMENT n",
            "INCREMENT n",
            "INCREMENT price",
            "INCREMENT price",
            "APPEND log",
            "APPEND log",
            "ADD_TO_SET tags",
            "ADD_TO_SET tags",
            "COMPARE_AND_SWAP lock",
            "COMPARE_AND_SWAP lock",
            "PUT gone",
            "DELETE gone");
    assertThat(history.total()).isEqualTo(13);
    assertThat(history.items().get(2).delta()).isEqualByComparingTo("-2");
    assertThat(store.history(run, "n", null, null, 0, 1).items()).hasSize(1);
    assertThat(store.history(run, "n", null, null, 0, 1).total()).isEqualTo(2);
    StateStore.Stats stats = store.stats(run);
    assertThat(stats.keys()).isEqualTo(6);
    assertThat(stats.historyRows()).isEqualTo(13);
    assertThat(stats.bytes()).isPositive();
  }

  @Test
  void anOperationThatDoesNotFitTheValueIsRefusedAndChangesNothing() {
    store.put(run, "s", value("\"text\""), OP);
    store.put(run, "m", value("{\"a\": 1}"), OP);
    store.put(run, "f", value("1.5"), OP);
    List<Runnable> wrong =
        List.of(
            () -> store.increment(run, "s", BigDecimal.ONE, OP),
            () -> store.increment(run, "m", new BigDecimal("0.5"), OP),
            () -> store.append(run, "m", json("1"), OP),
            () -> store.append(run, "s", json("1"), OP),
            () -> store.addToSet(run, "m", json("1"), OP));
    for (Runnable op : wrong) {
      assertThatThrownBy(op::run)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.code()).isEqualTo("state_type_mismatch");
              });
    }
    assertThatThrownBy(() -> store.get(run, "k".repeat(513)))
        .hasMessageContaining("key: at most 512");
    // a whole increment of a decimal takes the exclusive path and stays exact
    assertThat(store.increment(run, "f", BigDecimal.ONE, OP).toString()).isEqualTo("2.5");
    assertThat(store.snapshot(run))
        .containsEntry("s", json("\"text\""))
        .containsEntry("m", json("{\"a\": 1}"));
    assertThat(store.history(run, null, null, null, 0, 50).total()).isEqualTo(4);
  }

  @Test
  void aReplayedChangeIsMadeOnce() {
    StateStore.Actor job = new StateStore.Actor(null, "job-1:1");
    assertThat(store.increment(run, "n", BigDecimal.TEN, job).asLong()).isEqualTo(10);
    assertThat(store.increment(run, "n", BigDecimal.TEN, job).asLong()).isEqualTo(10);
    store.append(run, "l", json("1"), new StateStore.Actor(null, "job-1:2"));
    store.append(run, "l", json("1"), new StateStore.Actor(null, "job-1:2"));
    assertThat(store.compareAndSwap(run, "c", null, json("1"), new StateStore.Actor(null, "c:1")))
        .extracting(StateStore.Swap::swapped)
        .isEqualTo(true);
    assertThat(store.compareAndSwap(run, "c", null, json("1"), new StateStore.Actor(null, "c:1")))
        .extracting(StateStore.Swap::swapped)
        .isEqualTo(true);
    store.put(run, "p", value("1"), new StateStore.Actor(null, "p:1"));
    store.put(run, "p", value("2"), new StateStore.Actor(null, "p:1"));
    assertThat(store.snapshot(run))
        .containsEntry("n", json("10"))
        .containsEntry("l", json("[1]"))
        .containsEntry("p", json("1"));
    assertThat(store.history(run, null, null, null, 0, 50).total()).isEqualTo(4);
  }

  // ---- atomicity -------------------------------------------------------------------------------

  @Test
  void parallelIncrementsAppendsAndCompareAndSwapLoseNothingWithRedis() throws Exception {
    parallelChangesLoseNothing();
  }

  @Test
  void parallelIncrementsAppendsAndCompareAndSwapLoseNothingOnPostgresAlone() throws Exception {
    settings.redis = false;
    parallelChangesLoseNothing();
  }

  private void parallelChangesLoseNothing() throws Exception {
    // a modest load: the test's data source opens a connection per call (the ITs load harder)
    int threads = 6;
    int each = 20;
    List<Integer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    runAll(
        threads,
        t -> {
          for (int i = 0; i < each; i++) {
            answers.add(store.increment(run, "n", BigDecimal.ONE, OP).intValue());
            store.append(run, "l", JsonNodeFactory.instance.textNode(t + "-" + i), OP);
          }
          return null;
        });
    assertThat(store.get(run, "n")).contains(json(Integer.toString(threads * each)));
    // every increment saw its own value: the answers are 1..N, each once
    assertThat(new HashSet<>(answers)).hasSize(threads * each);
    assertThat(answers).allMatch(v -> v >= 1 && v <= threads * each);
    JsonNode list = store.get(run, "l").orElseThrow();
    Set<String> elements = new HashSet<>();
    list.forEach(e -> elements.add(e.asText()));
    assertThat(list.size()).isEqualTo(threads * each);
    assertThat(elements).hasSize(threads * each);

    // one winner per round of compare-and-swap
    for (int round = 0; round < 4; round++) {
      JsonNode expected = round == 0 ? null : json(Integer.toString(round - 1));
      JsonNode next = json(Integer.toString(round));
      AtomicInteger winners = new AtomicInteger();
      runAll(
          threads,
          t -> {
            if (store.compareAndSwap(run, "cas", expected, next, OP).swapped()) {
              winners.incrementAndGet();
            }
            return null;
          });
      assertThat(winners.get()).as("winners of round " + round).isEqualTo(1);
    }
  }

  @Test
  void incrementsRacingTheLoadOfAFreshCounterEachAnswerTheirOwnValue() throws Exception {
    int threads = 6;
    for (int round = 0; round < 6; round++) {
      String key = "ticket-" + round;
      if (round % 2 == 1) {
        redis().flushDB(); // the counter of a used key is lost: the next increments race its load
        store.increment(run, "ticket-" + (round - 1), BigDecimal.ONE, OP);
        key = "ticket-" + (round - 1);
      }
      String k = key;
      int before = store.get(run, k).map(JsonNode::intValue).orElse(0);
      List<Integer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
      runAll(
          threads,
          t -> {
            for (int i = 0; i < 3; i++) {
              answers.add(store.increment(run, k, BigDecimal.ONE, OP).intValue());
            }
            return null;
          });
      assertThat(answers)
          .as("round " + round)
          .doesNotHaveDuplicates()
          .allMatch(v -> v > before && v <= before + threads * 3);
    }
  }

  private static void runAll(int threads, ThreadWork work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Callable<Void> task =
            () -> {
              start.await();
              return work.run(id);
            };
        futures.add(pool.submit(task));
      }
      for (Future<Void> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  interface ThreadWork {
    Void run(int thread) throws Exception;
  }

  // ---- durability of hot counters --------------------------------------------------------------

  @Test
  void aLostRedisIsRebuiltFromTheRecordWithoutLosingAnIncrement() {
    for (int i = 0; i < 10; i++) {
      store.increment(run, "n", BigDecimal.ONE, OP);
    }
    assertThat(redis().hget(key("n"), "v")).isEqualTo("10");
    redis().flushDB(); // as a Redis restarted with persistence off
    assertThat(store.increment(run, "n", BigDecimal.ONE, OP).asLong()).isEqualTo(11);
    // a counter that fell behind the record (an increment recorded, then the node died before
    // telling Redis) is dropped when this node starts, and rebuilt
    redis().hset(key("n"), "v", "3");
    StateStore restarted = store(Clock.systemUTC());
    restarted.settleHotCounters();
    assertThat(restarted.increment(run, "n", BigDecimal.ONE, OP).asLong()).isEqualTo(12);
  }

  @Test
  void whileRedisIsUnreachableIncrementsGoToPostgresAndNothingIsLost() {
    store.increment(run, "n", BigDecimal.ONE, OP);
    settings.redisUrlOverride = "redis://127.0.0.1:1/5";
    StateStore cut = store(Clock.systemUTC());
    cut.hot = new RedisHotCounters(new RedisConnector(settings));
    cut.settleHotCounters(); // cannot reach it: stays in doubt, increments on PostgreSQL
    assertThat(cut.hotCountersInUse()).isFalse();
    for (int i = 0; i < 5; i++) {
      cut.increment(run, "n", BigDecimal.ONE, OP);
    }
    assertThat(cut.get(run, "n")).contains(json("6"));
    settings.redisUrlOverride = null;
    // Redis still holds 1: the store that reaches it again drops its counters first
    StateStore back = store(Clock.systemUTC());
    assertThat(back.hotCountersInUse()).isFalse();
    back.settleHotCounters();
    assertThat(back.hotCountersInUse()).isTrue();
    assertThat(back.increment(run, "n", BigDecimal.ONE, OP).asLong()).isEqualTo(7);
  }

  private String key(String k) {
    return "flow:state:" + run + ":" + k;
  }

  // ---- checkpoints, history, instants ----------------------------------------------------------

  @Test
  void checkpointsFoldTheHistoryWithoutChangingTheValue() throws SQLException {
    for (int i = 0; i < 20; i++) {
      store.increment(run, "n", BigDecimal.valueOf(2), OP);
      store.append(run, "l", json(Integer.toString(i)), OP);
    }
    assertThat(pendingRows()).isEqualTo(40);
    assertThat(store.checkpointDirty()).isEqualTo(40);
    assertThat(pendingRows()).isZero();
    assertThat(store.checkpointDirty()).isZero();
    assertThat(store.get(run, "n")).contains(json("40"));
    assertThat(store.get(run, "l").orElseThrow().size()).isEqualTo(20);
    assertThat(store.increment(run, "n", BigDecimal.ONE, OP).asLong()).isEqualTo(41);
  }

  private long pendingRows() throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from state_history h join state_entry e on e.run_id = h.run_id"
                    + " and e.key = h.key where h.id > e.checkpoint_history_id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theStateAtAnInstantIsTheSnapshotOfThatInstant() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    StateStore timed = store(clock);
    timed.settleHotCounters();
    List<Map<String, JsonNode>> snapshots = new ArrayList<>();
    List<Instant> instants = new ArrayList<>();
    String[] ops = {"put", "incr", "append", "cas", "delete", "incr", "set", "put"};
    for (int i = 0; i < ops.length; i++) {
      clock.now = clock.now.plusSeconds(10);
      switch (ops[i]) {
        case "put" -> timed.put(run, "k" + (i % 3), value(Integer.toString(i)), OP);
        case "incr" -> timed.increment(run, "n", BigDecimal.valueOf(i), OP);
        case "append" -> timed.append(run, "l", json(Integer.toString(i)), OP);
        case "cas" -> timed.compareAndSwap(run, "k0", json("0"), json("\"swapped\""), OP);
        case "delete" -> timed.delete(run, "l", OP);
        default -> timed.addToSet(run, "set", json("\"a\""), OP);
      }
      instants.add(clock.now.plusSeconds(5));
      snapshots.add(timed.snapshot(run));
    }
    for (int i = 0; i < instants.size(); i++) {
      assertThat(timed.at(run, null, instants.get(i))).as("at " + i).isEqualTo(snapshots.get(i));
    }
    assertThat(timed.at(run, null, Instant.parse("2026-11-27T09:00:00Z"))).isEmpty();
    assertThat(timed.at(run, "n", instants.get(1))).containsOnly(Map.entry("n", json("1")));
    assertThat(
            timed.history(run, null, clock.now.minusSeconds(25), clock.now, 0, 50).items().stream()
                .map(c -> c.op().name()))
        .containsExactly("INCREMENT", "ADD_TO_SET");
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  // ---- large values ----------------------------------------------------------------------------

  @Test
  void aLargeValueIsStoredCompressedOutOfLineAndReadBackWhole() throws Exception {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < 2000; i++) {
      text.append(i == 0 ? "" : ",").append("\"line ").append(i).append(" of the document\"");
    }
    text.append("]");
    String body = "{\"value\": " + text + "}";
    StateInput.Value large =
        StateInput.read(
            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
            settings.stateInlineLimit());
    assertThat(large.isLarge()).isTrue();
    assertThat(large.compressed().length).isLessThan((int) large.size() / 3);
    store.put(run, "doc", large, OP);
    StateBlobs.Blob blob = store.largeValue(run, "doc").orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blob.writeTo(out);
    assertThat(json(out.toString(StandardCharsets.UTF_8))).isEqualTo(json(text.toString()));
    assertThat(store.stats(run).largeValues()).isEqualTo(1);
    // appending to a large list folds it, and the checkpoint keeps it out of line
    store.append(run, "doc", json("\"one more\""), OP);
    assertThat(store.largeValue(run, "doc")).isEmpty();
    assertThat(store.get(run, "doc").orElseThrow().size()).isEqualTo(2001);
    store.checkpointDirty();
    assertThat(store.largeValue(run, "doc")).isPresent();
    assertThat(store.snapshot(run).get("doc").get(2000).asText()).isEqualTo("one more");
    // history and the past keep the value too
    assertThat(store.history(run, "doc", null, null, 0, 5).items().get(0).value().size())
        .isEqualTo(2000);
    ByteArrayOutputStream export = new ByteArrayOutputStream();
    store.export(run, export);
    JsonNode exported = json(export.toString(StandardCharsets.UTF_8));
    assertThat(exported.at("/state/doc").size()).isEqualTo(2001);
    assertThat(exported.get("history").size()).isEqualTo(2);
    assertThat(exported.get("workflowId").asText()).isEqualTo(run.toString());
  }

  // ---- retention -------------------------------------------------------------------------------

  @Test
  void theStateOfRunsPastTheirRetentionIsRemovedInBatches() throws SQLException {
    UUID kept = newRun(ds, null);
    UUID shortLived = newRun(ds, "PT1H");
    for (UUID r : List.of(run, kept, shortLived)) {
      for (int i = 0; i < 7; i++) {
        store.increment(r, "n", BigDecimal.ONE, OP);
        store.put(r, "k" + i, value("1"), OP);
      }
      finish(r, Instant.now().minus(Duration.ofDays(2)));
    }
    finish(kept, Instant.now().minus(Duration.ofDays(40)));
    // run: finished 2 days ago, kept 30 days; shortLived: 1 hour; kept: server default 30 days
    assertThat(store.removeExpired(10, 3)).isEqualTo(2);
    assertThat(store.snapshot(shortLived)).isEmpty();
    assertThat(store.history(shortLived, null, null, null, 0, 10).total()).isZero();
    assertThat(store.snapshot(kept)).isEmpty();
    assertThat(store.snapshot(run)).hasSize(8);
    assertThat(store.removeExpired(10, 3)).isZero();
  }

  private void finish(UUID r, Instant at) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update run set status = 'SUCCEEDED', finished_at = ?, started_at = ?"
                    + " where id = ?")) {
      ps.setObject(1, at.atOffset(ZoneOffset.UTC));
      ps.setObject(2, at.minusSeconds(60).atOffset(ZoneOffset.UTC));
      ps.setObject(3, r);
      ps.executeUpdate();
    }
  }

  @Test
  void theStateOfAnUnknownRunCannotBeChanged() {
    UUID unknown = UUID.randomUUID();
    assertThatThrownBy(() -> store.increment(unknown, "n", BigDecimal.ONE, OP))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> store.put(unknown, "n", value("1"), OP))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }
}
