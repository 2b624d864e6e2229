package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state API of src/sdk/STATE.md against the deployed server. */
@ArquillianTest
@RunAsClient
class StateIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;
  private Api api;
  private UUID run;
  private String path;

  @BeforeEach
  void setUp() throws Exception {
    api = new Api(base.toURI());
    run = TestDatabase.newRun();
    path = "workflows/" + run + "/state";
  }

  private Api.Reply put(String key, String body) {
    return api.call("PUT", path + "/" + key, body, Api.ADMIN);
  }

  @Test
  void everyOperationOfTheApiAnswersAsDocumented() {
    assertThat(put("greeting", "{\"value\": \"hello\"}").json().get("value").asText())
        .isEqualTo("hello");
    assertThat(api.get(path + "/greeting").json().toString())
        .isEqualTo("{\"key\":\"greeting\",\"value\":\"hello\"}");
    assertThat(api.post(path + "/n/increment", "{\"by\": 2}").json().get("value").asLong())
        .isEqualTo(2);
    assertThat(api.post(path + "/n/increment", "{\"by\": 40}").json().get("value").asLong())
        .isEqualTo(42);
    assertThat(api.post(path + "/d/increment", "{\"by\": 0.1}").json().get("value").toString())
        .isEqualTo("0.1");
    assertThat(api.post(path + "/d/increment", "{\"by\": 0.2}").json().get("value").toString())
        .isEqualTo("0.3");
    assertThat(api.post(path + "/l/append", "{\"value\": {\"a\": 1}}").json().toString())
        .isEqualTo("{\"appended\":true}");
    assertThat(api.post(path + "/s/add-to-set", "{\"value\": 1}").json().get("added").asBoolean())
        .isTrue();
    assertThat(api.post(path + "/s/add-to-set", "{\"value\": 1}").json().get("added").asBoolean())
        .isFalse();
    JsonNode swap =
        api.post(path + "/c/compare-and-swap", "{\"expected\": null, \"value\": \"x\"}").json();
    assertThat(swap.get("swapped").asBoolean()).isTrue();
    swap = api.post(path + "/c/compare-and-swap", "{\"expected\": null, \"value\": \"y\"}").json();
    assertThat(swap.get("swapped").asBoolean()).isFalse();
    assertThat(swap.get("value").asText()).isEqualTo("x");
    assertThat(api.call("DELETE", path + "/greeting", null, Api.ADMIN).json().toString())
        .isEqualTo("{\"deleted\":true}");
    assertThat(api.get(path + "/greeting").status()).isEqualTo(404);

    JsonNode state = api.get(path).json();
    assertThat(state.toString())
        .isEqualTo("{\"c\":\"x\",\"d\":0.3,\"l\":[{\"a\":1}],\"n\":42,\"s\":[1]}");
    JsonNode history = api.get(path + "/history?size=3&page=1").json();
    assertThat(history.get("total").asInt()).isEqualTo(9);
    assertThat(history.get("items")).hasSize(3);
    assertThat(history.at("/items/0/op").asText()).isEqualTo("INCREMENT");
    assertThat(history.at("/items/0/key").asText()).isEqualTo("d");
    assertThat(history.at("/items/0/delta").toString()).isEqualTo("0.1");
    assertThat(api.get(path + "/history?key=n").json().get("total").asInt()).isEqualTo(2);
    JsonNode stats = api.get(path + "/stats").json();
    assertThat(stats.get("keys").asInt()).isEqualTo(5);
    assertThat(stats.get("historyRows").asInt()).isEqualTo(9);
    Api.Reply export = api.get(path + "/export");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json().get("state")).isEqualTo(state);
    assertThat(export.json().get("history")).hasSize(9);
  }

  @Test
  void theStateAtAnInstantIsWhatASnapshotShowedThen() {
    List<Instant> instants = new ArrayList<>();
    List<JsonNode> snapshots = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      api.post(path + "/n/increment", "{\"by\": 1}");
      api.post(path + "/l/append", "{\"value\": " + i + "}");
      if (i % 2 == 0) {
        put("k" + i, "{\"value\": " + i + "}");
      } else {
        api.call("DELETE", path + "/k" + (i - 1), null, Api.ADMIN);
      }
      snapshots.add(api.get(path).json());
      instants.add(Instant.now());
    }
    api.post(path + "/n/increment", "{\"by\": 100}");
    for (int i = 0; i < instants.size(); i++) {
      assertThat(api.get(path + "?at=" + instants.get(i)).json())
          .as("state at " + i)
          .isEqualTo(snapshots.get(i));
    }
    assertThat(api.get(path + "/n?at=" + instants.get(2)).json().get("value").asInt()).isEqualTo(3);
    JsonNode history = api.get(path + "/history?key=n").json();
    assertThat(history.get("items"))
        .extracting(h -> h.get("delta").asInt())
        .containsExactly(1, 1, 1, 1, 1, 1, 100);
    assertThat(api.get(path + "?at=yesterday").json().at("/error/message").asText())
        .startsWith("at: not an ISO-8601 instant");
  }

  @Test
  void aTwentyMegabyteValueRoundTripsByteForByteAndIsStoredCompressed() throws Exception {
    // 20 MB of text that compresses as real documents do, not a run of one letter
    Random random = new Random(7);
    String[] words = {"alpha", "beta", "gamma", "delta", "flow", "agent", "state", "job"};
    StringBuilder text = new StringBuilder(20 * 1024 * 1024 + 64);
    while (text.length() < 20 * 1024 * 1024) {
      text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
    }
    String value = text.toString();
    String body = "{\"value\":\"" + value + "\"}";
    Api.Reply stored = put("big", body);
    assertThat(stored.status()).as(stored.text()).isEqualTo(200);

    HttpResponse<InputStream> read =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(api.base().resolve(path + "/big"))
                    .header("Authorization", "Bearer " + Api.ADMIN)
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(read.statusCode()).isEqualTo(200);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = read.body()) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(
                        ("{\"key\":\"big\",\"value\":\"" + value + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);

    try (Connection c = TestDatabase.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "select b.compression, b.size_bytes, length(b.data) from state_entry e"
                    + " join state_blob b on b.id = e.blob_id where e.run_id = ? and e.key = 'big'")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("stored out of line").isTrue();
        assertThat(rs.getString(1)).isEqualTo("gzip");
        assertThat(rs.getLong(2)).isEqualTo(value.length() + 2);
        assertThat(rs.getLong(3)).as("compressed").isLessThan(rs.getLong(2) / 2);
      }
    }
    assertThat(api.get(path + "/stats").json().get("largeValues").asInt()).isEqualTo(1);
  }

  @Test
  void badInputIsRefusedNamingTheProblemAndChangesNothing() {
    put("s", "{\"value\": \"text\"}");
    put("m", "{\"value\": {\"a\": 1}}");
    api.post(path + "/n/increment", "{\"by\": 1}");
    JsonNode before = api.get(path).json();
    int historyBefore = api.get(path + "/history").json().get("total").asInt();

    record Bad(String method, String path, String body, int status, String message) {}
    String longKey = "k".repeat(513);
    List<Bad> bad =
        List.of(
            new Bad("POST", "/n/increment", "not json", 400, "body: not valid JSON"),
            new Bad("POST", "/n/increment", "{\"by\": \"1\"}", 400, "by: must be a number"),
            new Bad("POST", "/n/increment", "{}", 400, "by: required"),
            new Bad("POST", "/n/increment", "{\"by\": 1, \"x\": 2}", 400, "x: unknown field"),
            new Bad("POST", "/s/increment", "{\"by\": 1}", 409, "state key 's' holds a string"),
            new Bad("POST", "/m/append", "{\"value\": 1}", 409, "state key 'm' holds a map"),
            new Bad("POST", "/m/add-to-set", "{\"value\": 1}", 409, "state key 'm' holds a map"),
            new Bad("POST", "/n/multiply", "{\"by\": 2}", 400, "op: unknown state operation"),
            new Bad("PUT", "/" + longKey, "{\"value\": 1}", 400, "key: at most 512"),
            new Bad("POST", "/" + longKey + "/increment", "{\"by\": 1}", 400, "key: at most 512"),
            new Bad("PUT", "/s", "{\"value\": ", 400, "body: not valid JSON"),
            new Bad("PUT", "/stats", "{\"value\": 1}", 400, "key: 'stats' is reserved"),
            new Bad("PUT", "/a%2Fb", "{\"value\": 1}", 400, "key: must not contain '/'"),
            new Bad("PUT", "/s", "{\"val\": 1}", 400, "val: unknown field"),
            new Bad("POST", "/c/compare-and-swap", "{\"value\": 1}", 400, "expected: required"),
            new Bad("POST", "/l/append", "[1]", 400, "body: expected a JSON object"));
    for (Bad b : bad) {
      Api.Reply reply = api.call(b.method(), path + b.path(), b.body(), Api.ADMIN);
      assertThat(reply.status()).as(b.toString() + " → " + reply.text()).isEqualTo(b.status());
      assertThat(reply.json().at("/error/message").asText()).as(b.toString()).contains(b.message());
    }
    assertThat(api.get(path).json()).isEqualTo(before);
    assertThat(api.get(path + "/history").json().get("total").asInt()).isEqualTo(historyBefore);
    assertThat(api.get("workflows/" + UUID.randomUUID() + "/state").status()).isEqualTo(404);
    assertThat(api.get("workflows/nope/state").json().at("/error/message").asText())
        .startsWith("id: not a workflow id");
  }

  @Test
  void aRunsTokenReachesItsOwnStateOnly() throws Exception {
    UUID other = TestDatabase.newRun();
    String mine = TestDatabase.jobToken(run, UUID.randomUUID());
    assertThat(api.call("POST", path + "/n/increment", "{\"by\": 1}", mine).status())
        .isEqualTo(200);
    assertThat(api.get(path + "/n", mine).json().get("value").asInt()).isEqualTo(1);
    String theirs = "workflows/" + other + "/state";
    assertThat(api.get(theirs, mine).status()).isEqualTo(403);
    assertThat(api.call("POST", theirs + "/n/increment", "{\"by\": 1}", mine).status())
        .isEqualTo(403);
    assertThat(api.call("PUT", theirs + "/n", "{\"value\": 1}", mine).status()).isEqualTo(403);
    // nor can it start jobs in the other run: a child job belongs to the token's own run
    ObjectNode job = Api.object();
    job.putObject("agent").put("image", "agentainer/example-agent:latest").put("handler", "echo");
    job.put("workflowId", other.toString());
    Api.Reply started = api.post("jobs", job, mine);
    assertThat(started.status()).as(started.text()).isIn(400, 403);
    assertThat(api.get("workflows/" + other + "/jobs").json().get("total").asInt()).isZero();
    assertThat(api.get(theirs).json().size()).isZero();
    // nor read other runs' events: its own run's, not every run's
    assertThat(api.get("workflows/" + run + "/events", mine).status()).isEqualTo(200);
    assertThat(api.get("workflows/" + other + "/events", mine).status()).isEqualTo(403);
    Api.Reply all = api.get("events", mine);
    assertThat(all.status()).isEqualTo(403);
    assertThat(all.json().at("/error/message").asText()).startsWith("Authorization:");
    assertThat(api.get("events?limit=0").json().at("/error/message").asText()).startsWith("limit:");
    assertThat(api.get("events?type=Bad%20Type").status()).isEqualTo(400);
    assertThat(api.get("events").status()).isEqualTo(200);
  }

  @Test
  void parallelClientsLoseNoIncrementAndEachCompareAndSwapRoundHasOneWinner() throws Exception {
    int clients = 50;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int id = c;
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    Api.Reply r = api.post(path + "/hits/increment", "{\"by\": 1}");
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                    r = api.post(path + "/seen/append", "{\"value\": \"" + id + "-" + i + "\"}");
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      assertThat(api.get(path + "/hits").json().get("value").asInt()).isEqualTo(clients * 20);
      JsonNode seen = api.get(path + "/seen").json().get("value");
      java.util.Set<String> distinct = new java.util.HashSet<>();
      seen.forEach(e -> distinct.add(e.asText()));
      assertThat(seen).hasSize(clients * 20);
      assertThat(distinct).hasSize(clients * 20);

      for (int round = 0; round < 5; round++) {
        String expected = round == 0 ? "null" : Integer.toString(round - 1);
        String body = "{\"expected\": " + expected + ", \"value\": " + round + "}";
        CyclicBarrier start = new CyclicBarrier(clients);
        AtomicInteger winners = new AtomicInteger();
        List<CompletableFuture<Void>> contenders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          contenders.add(
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      start.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    Api.Reply r = api.post(path + "/leader/compare-and-swap", body);
                    if (r.json().get("swapped").asBoolean()) {
                      winners.incrementAndGet();
                    }
                  },
                  pool));
        }
        CompletableFuture.allOf(contenders.toArray(CompletableFuture[]::new)).get();
        assertThat(winners.get()).as("winners of round " + round).isEqualTo(1);
      }
      assertThat(api.get(path + "/leader").json().get("value").asInt()).isEqualTo(4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSavedCheckpointIsReadBackAndOnlyItsOwnJobSavesIt() throws Exception {
    // a standalone job that runs long enough to save its progress
    String id = api.submit("process", "sleep", Api.object().put("ms", 60_000));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> api.get("jobs/" + id).json().get("status").asText().equals("RUNNING"));
    UUID job = UUID.fromString(id);
    String token = TestDatabase.jobToken(null, job);
    String other = TestDatabase.jobToken(run, UUID.randomUUID());
    assertThat(api.get("jobs/" + job + "/checkpoint", token).json().get("value").isNull()).isTrue();
    Api.Reply saved =
        api.call("PUT", "jobs/" + job + "/checkpoint", "{\"value\": {\"next\": 7}}", token);
    assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    assertThat(api.get("jobs/" + job + "/checkpoint").json().at("/value/next").asInt())
        .isEqualTo(7);
    assertThat(api.call("PUT", "jobs/" + job + "/checkpoint", "{\"value\": 1}", other).status())
        .isIn(403, 404);
    assertThat(api.call("PUT", "jobs/" + job + "/checkpoint", "{}", token).status()).isEqualTo(400);
    api.post("jobs/" + job + "/cancel", Api.object());
    assertThat(api.awaitFinal(id, java.time.Duration.ofSeconds(30)).get("status").asText())
        .isEqualTo("CANCELLED");
    // an ended job saves nothing more
    assertThat(api.call("PUT", "jobs/" + job + "/checkpoint", "{\"value\": 2}", Api.ADMIN).status())
        .isEqualTo(409);
  }

  @Test
  void aRetriedAttemptGoesOnFromTheCheckpointItsFirstAttemptSaved() throws Exception {
    String name = "checkpointed-" + UUID.randomUUID().toString().substring(0, 8);
    String yaml =
        """
        name: %s
        steps:
          - name: long
            input: {steps: 10, failAt: 6}
            agent: {image: agentainer/example-agent:latest, handler: checkpointed, runtime: process}
            retry: {maxAttempts: 2, initialDelay: PT0.1S}
        """
            .formatted(name);
    Api.Reply registered = api.register(yaml);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    Api.Reply started =
        api.post("definitions/" + name + "/runs", Api.object().set("input", Api.object()));
    String id = started.json().get("id").asText();
    JsonNode done =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofMinutes(2))
            .until(
                () -> api.get("workflows/" + id).json(),
                r -> r.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED|TIMED_OUT"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode job = api.get("workflows/" + id + "/jobs").json().at("/items/0");
    assertThat(job.get("attempt").asInt()).isEqualTo(2);
    // the second attempt began after the last step the first one saved, not at 0
    assertThat(job.at("/output/startedAt").asInt()).isEqualTo(7);
    assertThat(job.at("/output/done").asInt()).isEqualTo(10);
  }
}
