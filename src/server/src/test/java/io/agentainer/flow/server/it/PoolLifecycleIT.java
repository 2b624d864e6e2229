package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pools on a WildFly of the test's own (port offset 400, its own database, 20 jobs at once): a map
 * of twenty items served by exactly five warm containers, a graceful shutdown that lets running
 * pooled tasks finish and leaves no container, and a kill -9 after which the restarted node removes
 * the pooled containers its earlier life left and closes their records.
 */
@Tag("slow")
class PoolLifecycleIT {

  private static final String DB = "flow_pool_it";
  private static final String IMAGE = "agentainer/example-agent:latest";
  private static DockerClient docker;
  private OwnServer server;
  private Api api;

  @BeforeAll
  static void connect() {
    docker = DockerRuntimes.client("unix:///var/run/docker.sock", 4, Duration.ofSeconds(20));
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @BeforeEach
  void serverOfItsOwn() throws Exception {
    OwnServer.freshDatabase(DB);
    server =
        new OwnServer(
            "pool-node",
            400,
            Map.of(
                "FLOW_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB,
                "FLOW_MAX_PARALLEL", "20",
                "FLOW_AGENT_PORTS", "31000-31999",
                "FLOW_POOL_DRAIN_GRACE", "PT20S"));
    server.start();
    api = server.api();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<Container> containersOf(String poolId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("agentainer.pool", poolId))
        .exec();
  }

  private String register(String yaml) {
    Api.Reply reply = api.register(yaml);
    assertThat(reply.status()).as(reply.text()).isIn(200, 201);
    String name = reply.json().get("name").asText();
    for (JsonNode pool : api.get("pools").json().get("items")) {
      if (name.equals(pool.path("definition").asText())) {
        return pool.get("id").asText();
      }
    }
    throw new AssertionError("no pool for " + name);
  }

  private JsonNode awaitPool(String id, java.util.function.Predicate<JsonNode> done) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("pools/" + id).json(), done);
  }

  private JsonNode awaitRun(String id) {
    return await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> api.get("workflows/" + id).json(),
            run ->
                List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")
                    .contains(run.get("status").asText()));
  }

  private String start(String definition, ObjectNode input) {
    ObjectNode body = Api.object();
    body.set("input", input);
    Api.Reply reply = api.post("definitions/" + definition + "/runs", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(202);
    return reply.json().get("id").asText();
  }

  @Test
  void aMapOfTwentyItemsRunsOnExactlyFiveWarmContainersThatEachServeAboutFour() {
    String poolId =
        register(
            """
            name: poolmap
            maxParallel: 20
            steps:
              - name: work
                kind: map
                items: "${input.items}"
                input: {ms: 300}
                agent: {image: agentainer/example-agent:latest, handler: sleep, runtime: docker}
                executionMode: pooled
                pool: {maxSize: 5, warmUp: true}
                maxParallel: 20
            """);
    // warm first and wait, so every task finds five ready agents
    Api.Reply warm = api.post("pools/" + poolId + "/warm", Api.object());
    assertThat(warm.status()).as(warm.text()).isEqualTo(202);
    assertThat(warm.json().get("starting").asInt()).isEqualTo(5);
    awaitPool(poolId, p -> p.get("idle").asInt() == 5);

    ObjectNode input = Api.object();
    var items = input.putArray("items");
    for (int i = 0; i < 20; i++) {
      items.add("doc-" + i);
    }
    String runId = start("poolmap", input);
    JsonNode run = awaitRun(runId);
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");

    List<JsonNode> jobs = new ArrayList<>();
    api.get("workflows/" + runId + "/jobs?size=100").json().get("items").forEach(jobs::add);
    assertThat(jobs).hasSize(20);
    assertThat(jobs)
        .allSatisfy(
            job -> {
              assertThat(job.get("executionMode").asText()).isEqualTo("pooled");
              assertThat(job.get("poolId").asText()).isEqualTo(poolId);
              assertThat(job.get("coldStart").asBoolean()).isFalse();
            });
    Map<String, Long> perAgent =
        jobs.stream()
            .collect(Collectors.groupingBy(j -> j.get("agentId").asText(), Collectors.counting()));
    assertThat(perAgent).hasSize(5);
    assertThat(perAgent.values()).allSatisfy(n -> assertThat(n).isBetween(2L, 6L));
    List<Container> containers = containersOf(poolId);
    assertThat(containers).hasSize(5);
    assertThat(
            containers.stream()
                .map(c -> c.getLabels().get("agentainer.agent"))
                .collect(Collectors.toSet()))
        .isEqualTo(perAgent.keySet());

    JsonNode after = api.get("pools/" + poolId).json();
    assertThat(after.get("coldStarts").asLong()).isZero();
    assertThat(after.get("leases").asLong()).isEqualTo(20);
    assertThat(after.get("coldStartsAvoided").asLong()).isEqualTo(20);
    assertThat(after.get("reused").asLong()).isEqualTo(15);
    assertThat(after.get("busySeconds").asDouble()).isGreaterThan(20 * 0.3 * 0.9);
  }

  @Test
  void aGracefulShutdownLetsRunningPooledTasksFinishAndLeavesNoContainer() throws Exception {
    String poolId =
        register(
            """
            name: poolshutdown
            steps:
              - name: work
                kind: parallel
                count: 3
                input: {ms: 3000}
                agent: {image: agentainer/example-agent:latest, handler: sleep, runtime: docker}
                executionMode: pooled
                pool: {maxSize: 3, warmUp: false}
            """);
    api.post("pools/" + poolId + "/warm", null);
    awaitPool(poolId, p -> p.get("idle").asInt() == 3);
    String runId = start("poolshutdown", Api.object());
    awaitPool(poolId, p -> p.get("busy").asInt() == 3);
    assertThat(containersOf(poolId)).hasSize(3);

    server.kill(false); // SIGTERM: the node drains its pools before it stops

    assertThat(containersOf(poolId)).isEmpty();
    try (Connection c = OwnServer.connect(DB);
        PreparedStatement s =
            c.prepareStatement(
                "select status, count(*) from job where run_id = ? group by status")) {
      s.setObject(1, UUID.fromString(runId));
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
        assertThat(rs.getInt(2)).isEqualTo(3);
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(stopReasons(poolId)).isEqualTo(Map.of("shutdown", 3L));
  }

  @Test
  void aRestartAfterKillNineRemovesThePooledContainersItsEarlierLifeLeft() throws Exception {
    String poolId =
        register(
            """
            name: poolrestart
            steps:
              - name: work
                kind: task
                input: {ms: 10}
                agent: {image: agentainer/example-agent:latest, handler: sleep, runtime: docker}
                executionMode: pooled
                pool: {maxSize: 2, warmUp: false}
            """);
    api.post("pools/" + poolId + "/warm", null);
    awaitPool(poolId, p -> p.get("idle").asInt() == 2);

    server.kill(true);
    assertThat(containersOf(poolId)).as("left behind by kill -9").hasSize(2);

    server.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(containersOf(poolId)).isEmpty());
    assertThat(stopReasons(poolId)).isEqualTo(Map.of("node_restart", 2L));
    // and the pool serves again, from a new agent
    JsonNode run = awaitRun(start("poolrestart", Api.object()));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
  }

  private static Map<String, Long> stopReasons(String poolId) throws Exception {
    try (Connection c = OwnServer.connect(DB);
        PreparedStatement s =
            c.prepareStatement(
                "select stop_reason, count(*) from agent where pool_id = ? group by stop_reason")) {
      s.setObject(1, UUID.fromString(poolId));
      try (ResultSet rs = s.executeQuery()) {
        Map<String, Long> reasons = new java.util.HashMap<>();
        while (rs.next()) {
          reasons.put(String.valueOf(rs.getString(1)), rs.getLong(2));
        }
        return reasons;
      }
    }
  }
}
