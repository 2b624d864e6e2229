package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The state's invariants under load and failure, on a server of its own with a PostgreSQL and a
 * Redis of its own (so they can be restarted): 50 real agents × 200 increments and appends, and
 * acknowledged increments that survive a kill -9 of the server, a Redis shut down without saving,
 * and a PostgreSQL restart, all while the increments go on.
 */
@Tag("slow")
class StateDurabilityIT {

  private static PrivateServices.Postgres postgres;
  private static PrivateServices.Redis redis;
  private static OwnServer server;

  @BeforeAll
  static void servicesOfItsOwn() throws Exception {
    postgres = new PrivateServices.Postgres(55432);
    postgres.start();
    redis = new PrivateServices.Redis(16391);
    redis.start();
    server =
        new OwnServer(
            "state-node",
            300,
            Map.of(
                "FLOW_DB_URL",
                postgres.jdbcUrl(),
                "FLOW_REDIS_URL",
                redis.url(),
                "FLOW_MAX_PARALLEL",
                "64",
                "FLOW_DB_POOL_SIZE",
                "100",
                // fifty JVMs starting at once on two cores may take longer than the usual 30 s
                "FLOW_AGENT_READY_TIMEOUT",
                "PT3M",
                "FLOW_AGENT_RUNTIME",
                "process"));
    server.start();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (server != null) {
      server.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * A retried attempt repeats its changes under the same idempotency keys (the job's id and the
   * change's number), so retries here cannot count twice either.
   */
  @Test
  void fiftyAgentsIncrementingAndAppendingTwoHundredTimesEachLoseNothing() throws Exception {
    Api api = server.api();
    String yaml =
        """
        name: state-load
        steps:
          - name: count
            kind: parallel
            count: 50
            maxParallel: 50
            input: {key: hits, times: 200}
            agent: {image: agentainer/example-agent:latest, handler: incr, runtime: process}
            retry: {maxAttempts: 3, initialDelay: PT1S}
          - name: collect
            kind: parallel
            dependsOn: [count]
            count: 50
            maxParallel: 50
            input: {key: seen, times: 200}
            agent: {image: agentainer/example-agent:latest, handler: append, runtime: process}
            retry: {maxAttempts: 3, initialDelay: PT1S}
        """;
    Api.Reply registered = api.register(yaml);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    Api.Reply started =
        api.post("definitions/state-load/runs", Api.object().set("input", Api.object()));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    String run = started.json().get("id").asText();
    // correctness, not speed, is measured here: on a busy two-core machine fifty agents doing
    // 10,000 durable changes twice can take most of ten minutes
    JsonNode done =
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> api.get("workflows/" + run).json(),
                r -> r.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED|TIMED_OUT"));
    assertThat(done.get("status").asText())
        .as(done + "\nfailed jobs: " + api.get("workflows/" + run + "/jobs?status=FAILED").text())
        .isEqualTo("SUCCEEDED");
    assertThat(api.get("workflows/" + run + "/state/hits").json().get("value").asInt())
        .isEqualTo(10_000);
    assertThat(api.get("workflows/" + run + "/state/history?key=hits&size=1").json().get("total"))
        .isEqualTo(IntNode.valueOf(10_000));
    JsonNode seen = api.get("workflows/" + run + "/state/seen").json().get("value");
    Set<String> distinct = new HashSet<>();
    seen.forEach(e -> distinct.add(e.asText()));
    assertThat(seen).hasSize(10_000);
    assertThat(distinct).hasSize(10_000);
  }

  @Test
  void acknowledgedIncrementsSurviveAKilledServerALostRedisAndAPostgresRestart() throws Exception {
    UUID run = newRun();
    String path = "workflows/" + run + "/state/n/increment";
    int clients = 8;
    int each = 250;
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<CompletableFuture<Void>> work = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        int client = c;
        work.add(
            CompletableFuture.runAsync(
                () -> {
                  Api api = server.api();
                  for (int i = 0; i < each; i++) {
                    // the same key on every try: the server counts the increment once
                    String key = "client-" + client + "-" + i;
                    while (!incremented(api, path, key)) {
                      retries.incrementAndGet();
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // back off
                    }
                    acked.incrementAndGet();
                  }
                },
                pool));
      }
      awaitAcked(acked, 300);
      server.kill(true);
      server.start();

      awaitAcked(acked, 900);
      redis.shutdownNoSave();
      redis.start();

      awaitAcked(acked, 1400);
      postgres.restartImmediately();

      CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    Api api = server.api();
    assertThat(acked.get()).isEqualTo(clients * each);
    // the server answers again once its pool has new connections to the restarted database
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> api.get("workflows/" + run + "/state/history?key=n&size=1").status() == 200);
    assertThat(retries.get()).as("the failures did happen while increments went on").isPositive();
    assertThat(api.get("workflows/" + run + "/state/n").json().get("value").asInt())
        .isEqualTo(clients * each);
    assertThat(api.get("workflows/" + run + "/state/history?key=n&size=1").json().get("total"))
        .isEqualTo(IntNode.valueOf(clients * each));
    // and the hot counter agrees with the record again
    assertThat(api.post(path, "{\"by\": 1}").json().get("value").asInt())
        .isEqualTo(clients * each + 1);
  }

  private static boolean incremented(Api api, String path, String key) {
    try {
      Api.Reply reply = api.call("POST", path, "{\"by\": 1}", Api.ADMIN, "Idempotency-Key", key);
      if (reply.status() == 200) {
        return true;
      }
      if (reply.status() < 500 && reply.status() != 404) {
        throw new AssertionError("increment refused: " + reply.status() + " " + reply.text());
      }
      return false; // 5xx, or 404 while the server's WAR is not deployed yet
    } catch (IllegalStateException unreachable) {
      return false;
    }
  }

  private static void awaitAcked(AtomicInteger acked, int atLeast) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> acked.get() >= atLeast);
  }

  private static UUID newRun() throws Exception {
    UUID run = UUID.randomUUID();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
        PreparedStatement def =
            c.prepareStatement(
                "insert into definition (name, version, spec, spec_hash, created_at)"
                    + " values ('durable', 1, '{}', 'h', now()) on conflict do nothing");
        PreparedStatement insert =
            c.prepareStatement(
                "insert into run (id, definition_id, status, created_at, started_at) values (?,"
                    + " (select id from definition where name = 'durable'), 'RUNNING', now(),"
                    + " now())")) {
      def.executeUpdate();
      insert.setObject(1, run);
      insert.executeUpdate();
    }
    return run;
  }
}
