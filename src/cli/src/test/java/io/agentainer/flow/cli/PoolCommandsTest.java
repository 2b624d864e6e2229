package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code agentainer pool list|show|warm|drain|resize} against a stand-in API, at a fixed time. */
class PoolCommandsTest {

  static final String POOL_ID = "9b1c0000-1111-4222-8333-444455556666";
  static final String NAME = "wordcount-example-agent-3f2a91c0";

  static final String FULL_POOL =
      """
      {"id": "%s", "name": "%s", "runtime": "docker",
       "image": "agentainer/example-agent:latest", "definition": "wordcount", "shared": false,
       "config": {"env": {"LANG": "C", "MODE": "fast"}, "cpus": 0.5, "memoryMb": 256},
       "minSize": 1, "maxSize": 5, "idleTimeout": "PT5M", "maxUses": 100, "warmUp": true,
       "leaseTimeout": "PT2M", "warmSchedule": "0 8 * * 1-5", "warmSize": 4,
       "nextWarmAt": "2025-01-03T08:00:00Z", "status": "ACTIVE",
       "createdAt": "2025-01-01T03:10:00Z",
       "size": 5, "starting": 0, "idle": 3, "busy": 2, "waiting": 1, "utilization": 0.4,
       "busySeconds": 12.5, "agentSeconds": 20.0,
       "leases": 120, "reused": 115, "coldStarts": 5, "coldStartsAvoided": 115,
       "exhaustions": 3, "leaseWaitP50Ms": 0.02, "leaseWaitP99Ms": 850.0,
       "terminations": {"max_uses": 2, "idle_timeout": 1},
       "somethingNew": true,
       "agents": [{"id": "a-1", "status": "IDLE", "uses": 24,
                   "endpoint": "http://127.0.0.1:20001", "startedAt": "2025-01-02T03:05:00Z",
                   "lastUsedAt": "2025-01-02T03:09:30Z"},
                  {"id": "a-2", "status": "BUSY", "uses": 0,
                   "endpoint": "http://127.0.0.1:20002", "startedAt": "2025-01-02T03:09:58Z",
                   "lastUsedAt": null}]}"""
          .formatted(POOL_ID, NAME);

  /** A fresh shared pool as the list shows it: no agents, no leases yet. */
  static final String SHARED_POOL =
      """
      {"id": "p-2", "name": "shared-busybox-00aa11bb", "runtime": "process", "image": "busybox",
       "definition": null, "shared": true, "config": {"env": {}, "cpus": null, "memoryMb": null},
       "minSize": 0, "maxSize": 10, "idleTimeout": "PT5M", "maxUses": null, "warmUp": false,
       "leaseTimeout": "PT2M", "warmSchedule": null, "warmSize": 10, "nextWarmAt": null,
       "status": "ACTIVE", "createdAt": "2025-01-02T01:10:00Z",
       "size": 0, "starting": 0, "idle": 0, "busy": 0, "waiting": 0, "utilization": 0.0,
       "busySeconds": 0.0, "agentSeconds": 0.0, "leases": 0, "reused": 0, "coldStarts": 0,
       "coldStartsAvoided": 0, "exhaustions": 0, "leaseWaitP50Ms": null, "leaseWaitP99Ms": null,
       "terminations": {}}""";

  static final String EMPTY_PAGE = "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}";

  private final ObjectMapper mapper = new ObjectMapper();
  private FakeApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static String page(long total, int page, int size, String... items) {
    return "{\"items\":["
        + String.join(",", items)
        + "],\"total\":"
        + total
        + ",\"page\":"
        + page
        + ",\"size\":"
        + size
        + "}";
  }

  private static String listRow(String pool) {
    return pool.replaceAll("(?s),\\s*\"agents\": \\[.*]}$", "}");
  }

  private void notFound(String method, String path) {
    api.json(
        method,
        path,
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no such thing\",\"details\":{}}}");
  }

  // list

  @Test
  void listPrintsATableOfSizesAndMetrics() {
    api.json("GET", "/api/pools", 200, page(2, 0, 50, listRow(FULL_POOL), SHARED_POOL));

    assertThat(cli.run("pool", "list")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            NAME                              RUNTIME  IMAGE                            SIZE  BUSY  IDLE  UTIL  LEASES  COLD  P50 ms  P99 ms
            wordcount-example-agent-3f2a91c0  docker   agentainer/example-agent:latest  5     2     3     40%   120     5     0.02    850
            shared-busybox-00aa11bb           process  busybox                          0     0     0     0%    0       0     -       -
            page 1 of 1 (2 pools)
            """);
    assertThat(cli.err()).isEmpty();
    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.path()).isEqualTo("/api/pools");
    assertThat(seen.rawQuery()).isEqualTo("page=0&size=50");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer t0k3n");
  }

  @Test
  void listCountsPagesFromOne() {
    api.json("GET", "/api/pools", 200, page(11, 1, 10, SHARED_POOL));
    assertThat(cli.run("pool", "list", "--page", "2", "--size", "10")).isZero();
    assertThat(api.last().rawQuery()).isEqualTo("page=1&size=10");
    assertThat(cli.out()).endsWith("page 2 of 2 (11 pools)\n");
  }

  @Test
  void aSinglePoolIsCountedInTheSingular() {
    api.json("GET", "/api/pools", 200, page(1, 0, 50, SHARED_POOL));
    assertThat(cli.run("pool", "list")).isZero();
    assertThat(cli.out()).endsWith("page 1 of 1 (1 pool)\n");
  }

  @Test
  void anEmptyListSaysSo() {
    api.json("GET", "/api/pools", 200, EMPTY_PAGE);
    assertThat(cli.run("pool", "list")).isZero();
    assertThat(cli.out()).isEqualTo("no pools\n");
  }

  @Test
  void aPagePastTheEndSaysSoWithTheFooter() {
    api.json("GET", "/api/pools", 200, page(3, 4, 50));
    assertThat(cli.run("pool", "list", "--page", "5")).isZero();
    assertThat(cli.out()).isEqualTo("no pools on page 5\npage 5 of 1 (3 pools)\n");
  }

  @Test
  void badPagingNamesTheOption() {
    assertThat(cli.run("pool", "list", "--size", "0")).isEqualTo(2);
    assertThat(cli.err()).contains("--size").contains("500");
    assertThat(cli.run("pool", "list", "--page", "0")).isEqualTo(2);
    assertThat(cli.err()).contains("--page").contains("from 1");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void listAsJsonIsThePageTheApiSent() throws IOException {
    api.json("GET", "/api/pools", 200, page(1, 0, 50, listRow(FULL_POOL)));

    assertThat(cli.run("pool", "list", "-o", "json")).isZero();

    JsonNode json = mapper.readTree(cli.out());
    assertThat(json.get("total").asLong()).isEqualTo(1);
    assertThat(json.get("size").asInt()).isEqualTo(50);
    ObjectNode expected = (ObjectNode) mapper.readTree(listRow(FULL_POOL));
    expected.remove("somethingNew");
    // the list leaves out agents: the client reads none
    expected.set("agents", mapper.createArrayNode());
    assertThat(json.get("items").get(0)).isEqualTo(expected);
  }

  @Test
  void aRefusedListIsOneLineAndExitCodeOne() {
    api.json(
        "GET",
        "/api/pools",
        401,
        "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Authorization: token not valid\"}}");
    assertThat(cli.run("pool", "list")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: Authorization: token not valid\n");
    assertThat(cli.out()).isEmpty();
  }

  // show

  @Test
  void showPrintsTheSettingsMetricsAndAgents() {
    api.json("GET", "/api/pools/" + NAME, 200, FULL_POOL);

    assertThat(cli.run("pool", "show", NAME)).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            ID             %s
            NAME           %s
            STATUS         ACTIVE
            DEFINITION     wordcount
            SHARED         no
            RUNTIME        docker
            IMAGE          agentainer/example-agent:latest
            ENV            LANG=C MODE=fast
            CPUS           0.5
            MEMORY         256MB
            MIN SIZE       1
            MAX SIZE       5
            IDLE TIMEOUT   5m0s
            MAX USES       100
            WARM UP        yes
            LEASE TIMEOUT  2m0s
            WARM SCHEDULE  0 8 * * 1-5
            WARM SIZE      4
            NEXT WARM      2025-01-03T08:00:00Z
            CREATED        2025-01-01T03:10:00Z (1d ago)
            AGENTS         5 (2 busy, 3 idle, 0 starting)
            WAITING        1
            UTILIZATION    40%% now, 63%% over its life
            LEASES         120
            REUSED         115
            COLD STARTS    5
            COLD AVOIDED   115
            EXHAUSTIONS    3
            LEASE WAIT     p50 0.02ms, p99 850ms
            TERMINATIONS   max_uses 2, idle_timeout 1

            AGENT  STATUS  USES  ENDPOINT                UP  LAST USED
            a-1    IDLE    24    http://127.0.0.1:20001  5m  30s ago
            a-2    BUSY    0     http://127.0.0.1:20002  2s  -
            """
                .formatted(POOL_ID, NAME));
    assertThat(cli.err()).isEmpty();
    assertThat(api.last().method()).isEqualTo("GET");
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer t0k3n");
  }

  @Test
  void showOfAFreshSharedPoolLeavesBlanksAndSaysItHasNoAgents() {
    api.json("GET", "/api/pools/p-2", 200, SHARED_POOL);

    assertThat(cli.run("pool", "show", "p-2")).isZero();

    assertThat(cli.out())
        .contains("\nDEFINITION     -\n")
        .contains("\nSHARED         yes\n")
        .contains("\nENV            -\n")
        .contains("\nCPUS           -\n")
        .contains("\nMEMORY         -\n")
        .contains("\nMAX USES       -\n")
        .contains("\nWARM UP        no\n")
        .contains("\nWARM SCHEDULE  -\n")
        .contains("\nNEXT WARM      -\n")
        .contains("\nCREATED        2025-01-02T01:10:00Z (2h ago)\n")
        .contains("\nUTILIZATION    0% now\n")
        .contains("\nLEASE WAIT     -\n")
        .contains("\nTERMINATIONS   none\n")
        .endsWith("TERMINATIONS   none\n\nno agents\n");
  }

  @Test
  void showOfAPoolTheServerToldLittleAbout() {
    api.json(
        "GET",
        "/api/pools/p",
        200,
        "{\"id\":\"p\",\"name\":\"p\",\"leaseWaitP99Ms\":1234.56,\"agents\":[{\"id\":\"a\"}]}");

    assertThat(cli.run("pool", "show", "p")).isZero();

    assertThat(cli.out())
        .contains("\nIMAGE          -\n")
        .contains("\nENV            -\n")
        .contains("\nIDLE TIMEOUT   -\n")
        .contains("\nLEASE TIMEOUT  -\n")
        .contains("\nWARM SIZE      -\n")
        .contains("\nCREATED        -\n")
        .contains("\nLEASE WAIT     p50 -, p99 1235ms\n")
        .endsWith(
            "AGENT  STATUS  USES  ENDPOINT  UP  LAST USED\na      -       0     -         -   -\n");
  }

  @Test
  void showAsJsonIsThePoolTheApiSentLessWhatTheClientDoesNotKnow() throws IOException {
    api.json("GET", "/api/pools/" + NAME, 200, FULL_POOL);

    assertThat(cli.run("pool", "show", NAME, "--output", "json")).isZero();

    ObjectNode expected = (ObjectNode) mapper.readTree(FULL_POOL);
    expected.remove("somethingNew");
    ((ObjectNode) expected.get("agents").get(1)).remove("lastUsedAt"); // null is left out
    assertThat(mapper.readTree(cli.out())).isEqualTo(expected);
    assertThat(cli.out()).contains("\n  \"name\"");
  }

  @Test
  void showAnUnknownPoolSaysItIsNotFound() {
    notFound("GET", "/api/pools/nope");
    assertThat(cli.run("pool", "show", "nope")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: pool nope not found\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void anotherErrorOnAPoolIsTheServersOwnWords() {
    api.json(
        "GET",
        "/api/pools/p",
        500,
        "{\"error\":{\"code\":\"internal\",\"message\":\"database unavailable\"}}");
    assertThat(cli.run("pool", "show", "p")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: database unavailable\n");
  }

  @Test
  void aPoolNameIsOnePathSegment() {
    api.json("GET", "/api/pools/a%2Fb", 200, SHARED_POOL);
    assertThat(cli.run("pool", "show", "a/b")).isZero();
    assertThat(api.last().path()).isEqualTo("/api/pools/a%2Fb");
  }

  @Test
  void showNeedsAPool() {
    assertThat(cli.run("pool", "show")).isEqualTo(2);
    assertThat(cli.err()).contains("POOL").contains("agentainer pool show --help");
  }

  // warm

  @Test
  void warmSendsTheSizeAndSaysWhatStarts() throws IOException {
    api.json(
        "POST",
        "/api/pools/" + NAME + "/warm",
        202,
        "{\"pool\":\"" + POOL_ID + "\",\"target\":4,\"starting\":2}");

    assertThat(cli.run("pool", "warm", NAME, "--size", "4")).isZero();

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/pools/" + NAME + "/warm");
    assertThat(mapper.readTree(seen.body())).isEqualTo(mapper.readTree("{\"size\":4}"));
    assertThat(cli.out()).isEqualTo("pool " + NAME + ": warming to 4 agents, 2 starting\n");
  }

  @Test
  void warmWithoutASizeLeavesItToThePool() {
    api.json("POST", "/api/pools/p/warm", 202, "{\"pool\":\"p\",\"target\":1,\"starting\":0}");
    assertThat(cli.run("pool", "warm", "p")).isZero();
    assertThat(api.last().body()).isEqualTo("{}");
    assertThat(cli.out()).isEqualTo("pool p: warming to 1 agent, 0 starting\n");
  }

  @Test
  void warmAsJsonPrintsTheAnswer() throws IOException {
    api.json("POST", "/api/pools/p/warm", 202, "{\"pool\":\"p\",\"target\":5,\"starting\":3}");
    assertThat(cli.run("pool", "warm", "p", "-o", "json")).isZero();
    assertThat(mapper.readTree(cli.out()))
        .isEqualTo(mapper.readTree("{\"pool\":\"p\",\"target\":5,\"starting\":3}"));
  }

  @Test
  void aNegativeWarmSizeIsAUsageErrorNamingSize() {
    assertThat(cli.run("pool", "warm", "p", "--size", "-1")).isEqualTo(2);
    assertThat(cli.err()).contains("--size").contains("must be 0 or more, got -1");
    assertThat(cli.run("pool", "warm", "p", "--size", "many")).isEqualTo(2);
    assertThat(cli.err()).contains("--size").contains("'many' is not a whole number");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void warmingAnUnknownPoolSaysItIsNotFound() {
    notFound("POST", "/api/pools/nope/warm");
    assertThat(cli.run("pool", "warm", "nope", "--size", "2")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: pool nope not found\n");
  }

  // drain

  @Test
  void drainSaysWhatStopsNowAndWhatRetires() {
    api.json(
        "POST",
        "/api/pools/" + NAME + "/drain",
        202,
        "{\"pool\":\"" + POOL_ID + "\",\"stopping\":3,\"retiring\":2}");

    assertThat(cli.run("pool", "drain", NAME)).isZero();

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/pools/" + NAME + "/drain");
    assertThat(seen.body()).isEmpty();
    assertThat(cli.out())
        .isEqualTo(
            "pool " + NAME + ": 3 agents stopping now, 2 agents retiring when their task ends\n");
  }

  @Test
  void drainCountsOneAgentInTheSingular() {
    api.json("POST", "/api/pools/p/drain", 202, "{\"pool\":\"p\",\"stopping\":1,\"retiring\":0}");
    assertThat(cli.run("pool", "drain", "p")).isZero();
    assertThat(cli.out())
        .isEqualTo("pool p: 1 agent stopping now, 0 agents retiring when their task ends\n");
  }

  @Test
  void drainAsJsonPrintsTheAnswer() throws IOException {
    api.json("POST", "/api/pools/p/drain", 202, "{\"pool\":\"p\",\"stopping\":0,\"retiring\":1}");
    assertThat(cli.run("pool", "drain", "p", "--output", "json")).isZero();
    assertThat(mapper.readTree(cli.out()))
        .isEqualTo(mapper.readTree("{\"pool\":\"p\",\"stopping\":0,\"retiring\":1}"));
  }

  @Test
  void drainingAnUnknownPoolSaysItIsNotFound() {
    notFound("POST", "/api/pools/nope/drain");
    assertThat(cli.run("pool", "drain", "nope")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: pool nope not found\n");
  }

  // resize

  @Test
  void resizeSendsBothSizesAndSaysWhereThePoolIs() throws IOException {
    api.json("PUT", "/api/pools/" + NAME, 200, FULL_POOL);

    assertThat(cli.run("pool", "resize", NAME, "--min", "1", "--max", "5")).isZero();

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("PUT");
    assertThat(seen.path()).isEqualTo("/api/pools/" + NAME);
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(mapper.readTree(seen.body()))
        .isEqualTo(mapper.readTree("{\"minSize\":1,\"maxSize\":5}"));
    assertThat(cli.out()).isEqualTo("pool " + NAME + ": min 1, max 5 (5 agents now)\n");
  }

  @Test
  void resizeSendsOnlyTheSizeGiven() throws IOException {
    api.json("PUT", "/api/pools/p", 200, SHARED_POOL.replace("\"size\": 0", "\"size\": 1"));
    assertThat(cli.run("pool", "resize", "p", "--max", "10")).isZero();
    assertThat(mapper.readTree(api.last().body())).isEqualTo(mapper.readTree("{\"maxSize\":10}"));
    assertThat(cli.out()).isEqualTo("pool shared-busybox-00aa11bb: min 0, max 10 (1 agent now)\n");

    assertThat(cli.run("pool", "resize", "p", "--min", "0")).isZero();
    assertThat(mapper.readTree(api.last().body())).isEqualTo(mapper.readTree("{\"minSize\":0}"));
  }

  @Test
  void resizeAsJsonPrintsThePool() throws IOException {
    api.json("PUT", "/api/pools/p", 200, SHARED_POOL);
    assertThat(cli.run("pool", "resize", "p", "--max", "10", "-o", "json")).isZero();
    JsonNode json = mapper.readTree(cli.out());
    assertThat(json.get("name").asText()).isEqualTo("shared-busybox-00aa11bb");
    assertThat(json.get("maxSize").asInt()).isEqualTo(10);
    assertThat(json.has("maxUses")).isFalse();
  }

  @Test
  void resizeNeedsMinOrMax() {
    assertThat(cli.run("pool", "resize", "p")).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "agentainer: Missing option: give --min N, --max N or both\n"
                + "Try 'agentainer pool resize --help' for usage.\n");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void aNegativeMinIsAUsageErrorNamingMin() {
    assertThat(cli.run("pool", "resize", "p", "--min", "-1")).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("agentainer: Invalid value for option '--min': must be 0 or more, got -1\n");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void aMaxBelowOneIsAUsageErrorNamingMax() {
    assertThat(cli.run("pool", "resize", "p", "--max", "0")).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("agentainer: Invalid value for option '--max': must be 1 or more, got 0\n");
    assertThat(cli.run("pool", "resize", "p", "--max", "ten")).isEqualTo(2);
    assertThat(cli.err()).contains("--max").contains("'ten' is not a whole number");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void aMinAboveTheMaxIsAUsageError() {
    assertThat(cli.run("pool", "resize", "p", "--min", "6", "--max", "5")).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("agentainer: Invalid value for option '--min': 6 is more than --max 5\n");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void aResizeTheServerRefusesIsItsOwnWords() {
    api.json(
        "PUT",
        "/api/pools/p",
        400,
        "{\"error\":{\"code\":\"bad_request\",\"message\":\"maxSize: above FLOW_POOL_MAX_SIZE\","
            + "\"details\":{\"field\":\"maxSize\"}}}");
    assertThat(cli.run("pool", "resize", "p", "--max", "1000")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: maxSize: above FLOW_POOL_MAX_SIZE\n");
  }

  @Test
  void resizingAnUnknownPoolSaysItIsNotFound() {
    notFound("PUT", "/api/pools/nope");
    assertThat(cli.run("pool", "resize", "nope", "--max", "3")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: pool nope not found\n");
  }

  // help and numbers

  @Test
  void poolListsItsCommands() {
    assertThat(cli.run("--help")).isZero();
    assertThat(cli.out())
        .containsPattern("\n  pool +Inspect, warm, drain and resize agent pools\\.\n");
    assertThat(cli.run("pool", "--help")).isZero();
    assertThat(cli.out())
        .contains("list")
        .contains("show")
        .contains("warm")
        .contains("drain")
        .contains("resize");
    assertThat(cli.run("pool")).isEqualTo(2);
    assertThat(cli.err()).contains("subcommand");
  }

  @Test
  void measuresReadWithAboutThreeDigits() {
    assertThat(PoolPrinter.number(0.02)).isEqualTo("0.02");
    assertThat(PoolPrinter.number(0.004)).isEqualTo("0");
    assertThat(PoolPrinter.number(2.0)).isEqualTo("2");
    assertThat(PoolPrinter.number(12.345)).isEqualTo("12.3");
    assertThat(PoolPrinter.number(850.0)).isEqualTo("850");
    assertThat(PoolPrinter.number(123456.7)).isEqualTo("123457");
    assertThat(PoolPrinter.number(null)).isNull();
    assertThat(PoolPrinter.number(Double.NaN)).isNull();
    assertThat(PoolPrinter.number(Double.POSITIVE_INFINITY)).isNull();
    assertThat(PoolPrinter.percent(0.4)).isEqualTo("40%");
    assertThat(PoolPrinter.percent(1.0)).isEqualTo("100%");
  }
}
