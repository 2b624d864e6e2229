package io.agentainer.flow.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent pools, and how a job tells which pool served it, against a stand-in API on loopback. */
class FlowClientPoolsTest {

  static final String POOL_ID = "9b1c0000-1111-4222-8333-444455556666";
  static final String NAME = "wordcount-example-agent-3f2a91c0";

  static final String FULL_POOL =
      """
      {"id": "%s", "name": "%s", "runtime": "docker",
       "image": "agentainer/example-agent:latest", "definition": "wordcount", "shared": false,
       "config": {"env": {"LANG": "C", "MODE": "fast"}, "cpus": 0.5, "memoryMb": 256,
                  "later": true},
       "minSize": 1, "maxSize": 5, "idleTimeout": "PT5M", "maxUses": 100, "warmUp": true,
       "leaseTimeout": "PT2M", "warmSchedule": "0 8 * * 1-5", "warmSize": 4,
       "nextWarmAt": "2026-11-30T08:00:00Z",
       "status": "ACTIVE", "createdAt": "2026-11-27T10:00:00Z",
       "size": 5, "starting": 0, "idle": 3, "busy": 2, "waiting": 1, "utilization": 0.4,
       "busySeconds": 12.5, "agentSeconds": 20.0,
       "leases": 120, "reused": 115, "coldStarts": 5, "coldStartsAvoided": 115,
       "exhaustions": 3, "leaseWaitP50Ms": 0.02, "leaseWaitP99Ms": 850.0,
       "terminations": {"max_uses": 2, "idle_timeout": 1, "crashed": 4000000000},
       "somethingNew": {"nested": [1]},
       "agents": [{"id": "a-1", "status": "IDLE", "uses": 24,
                   "endpoint": "http://127.0.0.1:20001", "startedAt": "2026-11-27T10:00:01Z",
                   "lastUsedAt": "2026-11-27T10:05:00Z", "pid": 77},
                  {"id": "a-2", "status": "BUSY", "uses": 0,
                   "endpoint": "http://127.0.0.1:20002", "startedAt": "2026-11-27T10:06:00Z",
                   "lastUsedAt": null}]}
      """
          .formatted(POOL_ID, NAME);

  /** A row of the list: no agents, and what a fresh shared pool leaves out. */
  static final String SHARED_ROW =
      """
      {"id": "p-2", "name": "shared-busybox-00aa11bb", "runtime": "process",
       "image": "busybox", "definition": null, "shared": true,
       "config": {"env": {}, "cpus": null, "memoryMb": null},
       "minSize": 0, "maxSize": 10, "idleTimeout": "PT5M", "maxUses": null, "warmUp": false,
       "leaseTimeout": "PT2M", "warmSchedule": null, "warmSize": 10, "nextWarmAt": null,
       "status": "ACTIVE", "createdAt": "2026-11-27T09:00:00Z",
       "size": 0, "starting": 0, "idle": 0, "busy": 0, "waiting": 0, "utilization": 0.0,
       "busySeconds": 0.0, "agentSeconds": 0.0, "leases": 0, "reused": 0, "coldStarts": 0,
       "coldStartsAvoided": 0, "exhaustions": 0, "leaseWaitP50Ms": null,
       "leaseWaitP99Ms": null, "terminations": {}}
      """;

  static final String NOT_FOUND =
      "{\"error\":{\"code\":\"not_found\",\"message\":\"no pool nope\",\"details\":{}}}";

  private final ObjectMapper mapper = new ObjectMapper();
  private FakeApi api;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private FlowClient client() {
    return FlowClient.builder().baseUrl(api.api()).token("secret").build();
  }

  private static void assertNotFound(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("not_found");
              assertThat(e.getMessage()).isEqualTo("no pool nope");
            });
  }

  // list

  @Test
  void listsPoolsAPageAtATime() {
    api.json(
        "GET",
        "/api/pools",
        200,
        "{\"items\":[" + SHARED_ROW + "],\"total\":3,\"page\":1,\"size\":2,\"extra\":1}");

    Page<Pool> page = client().pools(1, 2);

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.path()).isEqualTo("/api/pools");
    assertThat(seen.rawQuery()).isEqualTo("page=1&size=2");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(seen.header("Accept")).isEqualTo("application/json");
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.page()).isEqualTo(1);
    assertThat(page.size()).isEqualTo(2);
    assertThat(page.hasNext()).isFalse();
    Pool row = page.items().get(0);
    assertThat(row.name()).isEqualTo("shared-busybox-00aa11bb");
    assertThat(row.shared()).isTrue();
    assertThat(row.definition()).isNull();
    assertThat(row.maxUses()).isNull();
    assertThat(row.warmSchedule()).isNull();
    assertThat(row.nextWarmAt()).isNull();
    assertThat(row.leaseWaitP50Ms()).isNull();
    assertThat(row.config().env()).isEmpty();
    assertThat(row.config().cpus()).isNull();
    assertThat(row.terminations()).isEmpty();
    // the list leaves out agents
    assertThat(row.agents()).isEmpty();
    assertThat(row.lifetimeUtilization()).isNull();
  }

  @Test
  void aRefusedListIsAClientException() {
    api.json(
        "GET",
        "/api/pools",
        401,
        "{\"error\":{\"code\":\"unauthorized\",\"message\":\"admin token required\"}}");
    assertThatThrownBy(() -> client().pools(0, 50))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("unauthorized");
              assertThat(e.getMessage()).isEqualTo("admin token required");
            });
  }

  // one pool

  @Test
  void readsEveryFieldOfAPool() {
    api.json("GET", "/api/pools/" + NAME, 200, FULL_POOL);

    Pool pool = client().pool(NAME);

    assertThat(api.last().method()).isEqualTo("GET");
    assertThat(api.last().path()).isEqualTo("/api/pools/" + NAME);
    assertThat(pool.id()).isEqualTo(POOL_ID);
    assertThat(pool.name()).isEqualTo(NAME);
    assertThat(pool.runtime()).isEqualTo("docker");
    assertThat(pool.image()).isEqualTo("agentainer/example-agent:latest");
    assertThat(pool.definition()).isEqualTo("wordcount");
    assertThat(pool.shared()).isFalse();
    assertThat(pool.config().env())
        .containsExactly(Map.entry("LANG", "C"), Map.entry("MODE", "fast"));
    assertThat(pool.config().cpus()).isEqualTo(0.5);
    assertThat(pool.config().memoryMb()).isEqualTo(256);
    assertThat(pool.minSize()).isEqualTo(1);
    assertThat(pool.maxSize()).isEqualTo(5);
    assertThat(pool.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(pool.maxUses()).isEqualTo(100);
    assertThat(pool.warmUp()).isTrue();
    assertThat(pool.leaseTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(pool.warmSchedule()).isEqualTo("0 8 * * 1-5");
    assertThat(pool.warmSize()).isEqualTo(4);
    assertThat(pool.nextWarmAt()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertThat(pool.status()).isEqualTo("ACTIVE");
    assertThat(pool.createdAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(pool.size()).isEqualTo(5);
    assertThat(pool.starting()).isZero();
    assertThat(pool.idle()).isEqualTo(3);
    assertThat(pool.busy()).isEqualTo(2);
    assertThat(pool.waiting()).isEqualTo(1);
    assertThat(pool.utilization()).isEqualTo(0.4);
    assertThat(pool.busySeconds()).isEqualTo(12.5);
    assertThat(pool.agentSeconds()).isEqualTo(20.0);
    assertThat(pool.lifetimeUtilization()).isEqualTo(0.625);
    assertThat(pool.leases()).isEqualTo(120);
    assertThat(pool.reused()).isEqualTo(115);
    assertThat(pool.coldStarts()).isEqualTo(5);
    assertThat(pool.coldStartsAvoided()).isEqualTo(115);
    assertThat(pool.exhaustions()).isEqualTo(3);
    assertThat(pool.leaseWaitP50Ms()).isEqualTo(0.02);
    assertThat(pool.leaseWaitP99Ms()).isEqualTo(850.0);
    // in the server's order, counts beyond an int kept
    assertThat(pool.terminations())
        .containsExactly(
            Map.entry("max_uses", 2L),
            Map.entry("idle_timeout", 1L),
            Map.entry("crashed", 4_000_000_000L));
    assertThat(pool.agents())
        .containsExactly(
            new PoolAgent(
                "a-1",
                "IDLE",
                24,
                "http://127.0.0.1:20001",
                Instant.parse("2026-11-27T10:00:01Z"),
                Instant.parse("2026-11-27T10:05:00Z")),
            new PoolAgent(
                "a-2",
                "BUSY",
                0,
                "http://127.0.0.1:20002",
                Instant.parse("2026-11-27T10:06:00Z"),
                null));
  }

  @Test
  void aPoolIsOnePathSegment() {
    api.json("GET", "/api/pools/a%2Fb%20c", 200, SHARED_ROW);
    assertThat(client().pool("a/b c").name()).isEqualTo("shared-busybox-00aa11bb");
    assertThat(api.last().path()).isEqualTo("/api/pools/a%2Fb%20c");
  }

  @Test
  void aBlankPoolIsRefusedBeforeAnyCall() {
    FlowClient client = client();
    assertThatThrownBy(() -> client.pool(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idOrName is required");
    assertThatThrownBy(() -> client.resizePool(null, PoolChange.sizes(1, 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.warmPool("", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.drainPool(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void whatTheServerLeavesOutIsEmptyOrNull() {
    api.json("GET", "/api/pools/p", 200, "{\"id\":\"p\",\"name\":\"p\"}");
    Pool pool = client().pool("p");
    assertThat(pool.agents()).isEmpty();
    assertThat(pool.terminations()).isEmpty();
    assertThat(pool.config()).isNull();
    assertThat(pool.idleTimeout()).isNull();
    assertThat(pool.warmSize()).isNull();
    assertThat(pool.size()).isZero();
    assertThat(pool.leases()).isZero();
    assertThat(new Pool.Config(null, null, null).env()).isEmpty();
  }

  @Test
  void aPoolsTerminationsAndAgentsCannotBeChanged() {
    Map<String, Long> terminations = new LinkedHashMap<>(Map.of("crashed", 1L));
    List<PoolAgent> agents = new ArrayList<>();
    agents.add(new PoolAgent("a", "IDLE", 1, "e", null, null));
    Pool pool =
        new Pool(
            "p",
            "p",
            "process",
            "i",
            null,
            true,
            null,
            0,
            1,
            null,
            null,
            true,
            null,
            null,
            null,
            null,
            "ACTIVE",
            null,
            1,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            null,
            null,
            terminations,
            agents);
    terminations.put("drained", 2L);
    agents.clear();
    assertThat(pool.terminations()).containsOnlyKeys("crashed");
    assertThat(pool.agents()).hasSize(1);
    assertThatThrownBy(() -> pool.terminations().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> pool.agents().add(null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anUnknownPoolIsA404WithTheServersWords() {
    api.json("GET", "/api/pools/nope", 404, NOT_FOUND);
    assertNotFound(() -> client().pool("nope"));
  }

  @Test
  void anUnreadablePoolIsAClientExceptionNotAJacksonOne() {
    api.json("GET", "/api/pools/p", 200, "{\"idleTimeout\": \"five minutes\"}");
    assertThatThrownBy(() -> client().pool("p"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_response");
              assertThat(e.getMessage()).startsWith("unreadable answer from " + api.api());
            });
  }

  // resize

  @Test
  void resizeSendsOnlyTheFieldsGiven() throws IOException {
    api.json("PUT", "/api/pools/" + NAME, 200, FULL_POOL);

    Pool pool = client().resizePool(NAME, PoolChange.sizes(null, 8));

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("PUT");
    assertThat(seen.path()).isEqualTo("/api/pools/" + NAME);
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(mapper.readTree(seen.body())).isEqualTo(mapper.readTree("{\"maxSize\": 8}"));
    assertThat(pool.id()).isEqualTo(POOL_ID);
  }

  @Test
  void resizeSendsEveryFieldAsTheApiSpellsIt() throws IOException {
    api.json("PUT", "/api/pools/p", 200, SHARED_ROW);
    PoolChange change =
        new PoolChange(0, 10, Duration.ofMinutes(10), 50, Duration.ofSeconds(90), "0 8 * * 1-5", 6);

    client().resizePool("p", change);

    assertThat(mapper.readTree(api.last().body()))
        .isEqualTo(
            mapper.readTree(
                """
                {"minSize": 0, "maxSize": 10, "idleTimeout": "PT10M", "maxUses": 50,
                 "leaseTimeout": "PT1M30S", "warmSchedule": "0 8 * * 1-5", "warmSize": 6}
                """));
  }

  @Test
  void resizeNeedsAChange() {
    assertThatThrownBy(() -> client().resizePool("p", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("change");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void aRefusedResizeNamesTheField() {
    api.json(
        "PUT",
        "/api/pools/p",
        400,
        "{\"error\":{\"code\":\"bad_request\",\"message\":\"maxSize: must be 1 or more\","
            + "\"details\":{\"field\":\"maxSize\"}}}");
    assertThatThrownBy(() -> client().resizePool("p", PoolChange.sizes(null, 0)))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("bad_request");
              assertThat(e.getMessage()).isEqualTo("maxSize: must be 1 or more");
              assertThat(e.details()).containsEntry("field", "maxSize");
            });
  }

  @Test
  void resizingAnUnknownPoolIsA404() {
    api.json("PUT", "/api/pools/nope", 404, NOT_FOUND);
    assertNotFound(() -> client().resizePool("nope", PoolChange.sizes(1, null)));
  }

  // warm

  @Test
  void warmSendsTheSize() throws IOException {
    api.json(
        "POST",
        "/api/pools/" + NAME + "/warm",
        202,
        "{\"pool\":\"" + NAME + "\",\"target\":4,\"starting\":2,\"extra\":true}");

    PoolWarm warm = client().warmPool(NAME, 4);

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/pools/" + NAME + "/warm");
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(mapper.readTree(seen.body())).isEqualTo(mapper.readTree("{\"size\": 4}"));
    assertThat(warm).isEqualTo(new PoolWarm(NAME, 4, 2));
  }

  @Test
  void warmWithoutASizeSendsAnEmptyObject() {
    api.json("POST", "/api/pools/p/warm", 202, "{\"pool\":\"p\",\"target\":5,\"starting\":0}");
    assertThat(client().warmPool("p", null)).isEqualTo(new PoolWarm("p", 5, 0));
    assertThat(api.last().body()).isEqualTo("{}");
  }

  @Test
  void warmingAnUnknownPoolIsA404() {
    api.json("POST", "/api/pools/nope/warm", 404, NOT_FOUND);
    assertNotFound(() -> client().warmPool("nope", null));
  }

  // drain

  @Test
  void drainPostsNothingAndSaysWhatStops() {
    api.json(
        "POST",
        "/api/pools/" + NAME + "/drain",
        202,
        "{\"pool\":\"" + NAME + "\",\"stopping\":3,\"retiring\":2}");

    PoolDrain drain = client().drainPool(NAME);

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/pools/" + NAME + "/drain");
    assertThat(seen.body()).isEmpty();
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(drain).isEqualTo(new PoolDrain(NAME, 3, 2));
  }

  @Test
  void drainingAnUnknownPoolIsA404() {
    api.json("POST", "/api/pools/nope/drain", 404, NOT_FOUND);
    assertNotFound(() -> client().drainPool("nope"));
  }

  @Test
  void anUnavailableServerIsAnErrorToo() {
    api.text("POST", "/api/pools/p/drain", 503, "Service Unavailable");
    assertThatThrownBy(() -> client().drainPool("p"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("http_503");
              assertThat(e.getMessage()).isEqualTo("Service Unavailable");
            });
  }

  // a job's pool

  @Test
  void aJobTellsWhichPoolServedItAndWhetherItStartedCold() {
    api.json(
        "GET",
        "/api/jobs/j1",
        200,
        """
        {"id": "j1", "status": "SUCCEEDED", "attempt": 1, "executionMode": "pooled",
         "poolId": "%s", "agentAcquireMs": 3, "coldStart": false}
        """
            .formatted(POOL_ID));

    Job job = client().job("j1");

    assertThat(job.executionMode()).isEqualTo("pooled");
    assertThat(job.poolId()).isEqualTo(POOL_ID);
    assertThat(job.agentAcquireMs()).isEqualTo(3L);
    assertThat(job.coldStart()).isFalse();
  }

  @Test
  void aJobWithoutAnAgentYetHasNoPoolNorColdStart() {
    api.json(
        "GET",
        "/api/jobs/j2",
        200,
        "{\"id\":\"j2\",\"status\":\"QUEUED\",\"attempt\":1,\"executionMode\":\"cold\"}");
    Job job = client().job("j2");
    assertThat(job.poolId()).isNull();
    assertThat(job.coldStart()).isNull();
  }
}
