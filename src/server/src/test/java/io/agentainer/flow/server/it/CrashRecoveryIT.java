package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
  private static final int HTTP = 8081 + 200;

  private final Path home = Path.of(System.getProperty("flow.test.wildfly"));
  private final Path base = Path.of("target", "crash-node").toAbsolutePath();
  private Process server;

  @AfterEach
  void stopServer() {
    kill(false);
  }

  @Test
  void aKilledServerLeavesNoOrphanAgentsAndNoStuckJobsAfterItsRestart() throws Exception {
    freshDatabase();
    prepareServerFolder();
    start();
    Api api = new Api(URI.create("http://127.0.0.1:" + HTTP + "/api/"));

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(api.submit(i < 3 ? "docker" : "process", "sleep", Api.object().put("ms", 4_000)));
    }
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> api.get("jobs/" + id).json(), j -> j.has("agentAcquireMs"));
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
    freshDatabase();
    prepareServerFolder();
    start();
    Api api = new Api(URI.create("http://127.0.0.1:" + HTTP + "/api/"));
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
    java.net.http.HttpResponse<String> registered =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(api.base().resolve("definitions"))
                    .header("Authorization", "Bearer " + Api.ADMIN)
                    .header("Content-Type", "application/yaml")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(yaml))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
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
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
  }

  private static void freshDatabase() throws Exception {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DB + " with (force)");
      s.execute("create database " + DB);
    }
  }

  /** A server folder of its own: configuration from the provisioned WildFly, the WAR deployed. */
  private void prepareServerFolder() throws IOException {
    if (Files.exists(base)) {
      try (Stream<Path> files = Files.walk(base)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(base.resolve("deployments"));
    copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
    Files.copy(
        Path.of(System.getProperty("flow.test.war")),
        base.resolve("deployments/agentainer-flow-server.war"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private void start() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=200",
                "-Djboss.http.port=8081")
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("console.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("FLOW_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB);
    env.put("FLOW_ADMIN_TOKEN", Api.ADMIN);
    env.put("FLOW_TOKEN_FILE", base.resolve("admin-token").toString());
    env.put("JAVA_OPTS", "-Xmx512m -Djava.net.preferIPv4Stack=true");
    env.put("FLOW_MAX_PARALLEL", "8");
    env.remove("FLOW_PORT");
    server = pb.start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                new Api(URI.create("http://127.0.0.1:" + HTTP + "/api/")).get("health").status()
                    == 200);
  }

  /** Kills the server's JVM: with SIGKILL when {@code hard}, else a clean SIGTERM. */
  private void kill(boolean hard) {
    if (server == null) {
      return;
    }
    Optional<ProcessHandle> jvm =
        server
            .toHandle()
            .descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
            .findFirst();
    jvm.ifPresent(
        p -> {
          if (hard) {
            p.destroyForcibly();
          } else {
            p.destroy();
          }
          p.onExit().join();
        });
    server.destroy();
    server.onExit().join();
    server = null;
  }
}
