package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of the server while five jobs run, then a restart: no labelled agent is left without a
 * job that owns it, and every job ends in a final status. Runs a WildFly of its own (port offset
 * 200, its own server folder and database), because Arquillian cannot kill its server.
 */
@Tag("slow")
class CrashRecoveryIT {

  private static final String DB = "flow_crash_it";

  private OwnServer server;

  @BeforeEach
  void serverOfItsOwn() throws Exception {
    OwnServer.freshDatabase(DB);
    server =
        new OwnServer(
            "crash-node",
            200,
            Map.of(
                "FLOW_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB, "FLOW_MAX_PARALLEL", "8"));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aKilledServerLeavesNoOrphanAgentsAndNoStuckJobsAfterItsRestart() throws Exception {
    start();
    Api api = server.api();

    // long enough that no job ends while the docker agents still start on a busy machine: a
    // process agent is ready in a moment and must still be running when the server is killed
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(api.submit(i < 3 ? "docker" : "process", "sleep", Api.object().put("ms", 20_000)));
    }
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> api.get("jobs/" + id).json(), j -> j.has("agentAcquireMs"));
    }
    for (String id : ids) {
      assertThat(api.get("jobs/" + id).json().get("status").asText()).isEqualTo("RUNNING");
    }
    List<Long> agentPids = processAgentPids();
    try (DockerClient docker =
        DockerRuntimes.client("unix:///var/run/docker.sock", 2, Duration.ofSeconds(20))) {
      assertThat(containersOf(docker, ids)).hasSize(3);
      assertThat(agentPids).hasSize(2).allMatch(CrashRecoveryIT::alive);

      kill(true); // kill -9: no shutdown hook, no clean-up
      assertThat(containersOf(docker, ids)).as("orphans before the restart").hasSize(3);

      start();
      // the lost attempts are queued again at once and run to their end on the restarted node
      for (String id : ids) {
        JsonNode job = api.awaitFinal(id, Duration.ofSeconds(90));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(containersOf(docker, ids)).isEmpty());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(agentPids).noneMatch(CrashRecoveryIT::alive));
      assertThat(api.get("jobs?status=RUNNING").json().get("total").asInt()).isZero();
    }
  }

  @Test
  void runsInFlightFinishAfterAKillAndEveryJobSucceedsExactlyOnce() throws Exception {
    start();
    Api api = server.api();
    String yaml =
        """
        name: crash-fanout
        steps:
          - name: work
            kind: parallel
            count: 20
            input: {ms: 1500}
            agent: {image: agentainer/example-agent:latest, handler: sleep, runtime: docker}
        """;
    Api.Reply registered = api.register(yaml);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Api.Reply started =
          api.post("definitions/crash-fanout/runs", Api.object().set("input", Api.object()));
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      runs.add(started.json().get("id").asText());
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> api.get("jobs?status=SUCCEEDED&size=1").json().get("total").asInt() >= 10);

    kill(true);
    start();

    for (String run : runs) {
      JsonNode done =
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> api.get("workflows/" + run).json(),
                  r -> r.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED|TIMED_OUT"));
      assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(done.at("/steps/0/succeeded").asInt()).isEqualTo(20);
    }
    try (Connection c = connect(DB);
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "select count(*), count(distinct job_id) from event where type = 'job.succeeded'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("successful completions").isEqualTo(100);
      assertThat(rs.getInt(2)).as("jobs that succeeded").isEqualTo(100);
    }
    try (DockerClient docker =
        DockerRuntimes.client("unix:///var/run/docker.sock", 2, Duration.ofSeconds(20))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          docker
                              .listContainersCmd()
                              .withShowAll(true)
                              .withLabelFilter(List.of("agentainer.workflow"))
                              .exec()
                              .stream()
                              .filter(c -> runs.contains(c.getLabels().get("agentainer.workflow")))
                              .toList())
                      .isEmpty());
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static List<Container> containersOf(DockerClient docker, List<String> jobIds) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of("agentainer.job"))
        .exec()
        .stream()
        .filter(c -> jobIds.contains(c.getLabels().get("agentainer.job")))
        .toList();
  }

  private List<Long> processAgentPids() throws Exception {
    List<Long> pids = new ArrayList<>();
    try (Connection c = connect(DB);
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "select pid from agent where runtime = 'process' and status <> 'STOPPED'")) {
      while (rs.next()) {
        pids.add(rs.getLong(1));
      }
    }
    return pids;
  }

  private static Connection connect(String database) throws Exception {
    return OwnServer.connect(database);
  }

  private void start() throws Exception {
    server.start();
  }

  private void kill(boolean hard) {
    server.kill(hard);
  }
}
