package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs on real agents: the example agent image on the Docker engine, and the example agent as a
 * local process, through the REST API of a real WildFly.
 */
@ArquillianTest
@RunAsClient
class JobsIT {

  private static DockerClient docker;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;
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
  void client() throws Exception {
    api = new Api(base.toURI());
  }

  private List<?> containersOf(String jobId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(java.util.Map.of("agentainer.job", jobId))
        .exec();
  }

  private static boolean processAlive(String jobId) throws Exception {
    try (Connection c = TestDatabase.connect();
        PreparedStatement s = c.prepareStatement("select pid from agent where job_id = ?")) {
      s.setObject(1, UUID.fromString(jobId));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (ProcessHandle.of(rs.getLong(1)).map(ProcessHandle::isAlive).orElse(false)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void assertAgentGone(String runtime, String jobId) throws Exception {
    if (runtime.equals("docker")) {
      assertThat(containersOf(jobId)).isEmpty();
    } else {
      assertThat(processAlive(jobId)).isFalse();
    }
  }

  // ---- a job runs on its agent and the agent is gone after ---------------------------------

  void aJobSucceedsWithTheHandlersOutput(String runtime) throws Exception {
    String id = api.submit(runtime, "wordcount", Api.object().put("item", "The cat and the hat"));
    JsonNode job = api.awaitFinal(id, Duration.ofSeconds(60));

    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/output/total").asInt()).isEqualTo(5);
    assertThat(job.at("/output/words/the").asInt()).isEqualTo(2);
    assertThat(job.get("runtime").asText()).isEqualTo(runtime);
    assertThat(job.get("executionMode").asText()).isEqualTo("cold");
    assertThat(job.get("agentAcquireMs").asLong()).isPositive();
    assertThat(job.get("agentId").asText()).isNotBlank();
    assertThat(job.has("workflowId")).isFalse();
    assertAgentGone(runtime, id);
    Api.Reply logs = api.get("jobs/" + id + "/logs");
    assertThat(logs.status()).isEqualTo(200);
    assertThat(logs.text()).contains("listening");
  }

  @Test
  void aJobSucceedsOnDocker() throws Exception {
    aJobSucceedsWithTheHandlersOutput("docker");
  }

  @Test
  void aJobSucceedsAsAProcess() throws Exception {
    aJobSucceedsWithTheHandlersOutput("process");
  }

  @Test
  void theAgentGetsTheJobsMetadataInItsEnvironmentAndInTheRequest() throws Exception {
    String id = api.submit("docker", "whoami", null);
    JsonNode job = api.awaitFinal(id, Duration.ofSeconds(60));
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode request = job.at("/output/request");
    JsonNode env = job.at("/output/env");
    assertThat(request.get("jobId").asText()).isEqualTo(id);
    assertThat(request.get("attempt").asInt()).isEqualTo(1);
    assertThat(request.get("hasToken").asBoolean()).isTrue();
    assertThat(request.get("api").asText())
        .isEqualTo(api.base().toString().replaceAll("/$", "").replace("localhost", "127.0.0.1"));
    assertThat(request.get("traceparent").asText()).startsWith("00-" + id.replace("-", ""));
    assertThat(env.get("FLOW_JOB_ID").asText()).isEqualTo(id);
    assertThat(env.get("hasToken").asBoolean()).isTrue();
    assertThat(env.get("FLOW_API").asText()).isEqualTo(request.get("api").asText());
    assertThat(env.get("TRACEPARENT").asText()).isEqualTo(request.get("traceparent").asText());
    assertThat(env.get("FLOW_WORKFLOW_ID").isNull()).isTrue();
  }

  // ---- failures ------------------------------------------------------------------------------

  void aCrashFailsTheJobWithTheReason(String runtime) throws Exception {
    String id = api.submit(runtime, "crash", null);
    JsonNode job = api.awaitFinal(id, Duration.ofSeconds(60));
    assertThat(job.get("status").asText()).isEqualTo("FAILED");
    assertThat(job.at("/error/type").asText()).isEqualTo("agent_crashed");
    assertThat(job.at("/error/message").asText()).contains("exit code 137");
    assertAgentGone(runtime, id);
  }

  @Test
  void aCrashOnDocker() throws Exception {
    aCrashFailsTheJobWithTheReason("docker");
  }

  @Test
  void aCrashAsAProcess() throws Exception {
    aCrashFailsTheJobWithTheReason("process");
  }

  void aFailureKeepsTheAgentsMessage(String runtime) throws Exception {
    String id =
        api.submit(
            runtime,
            "fail",
            Api.object().put("retryable", false).put("message", "the data is bad"));
    JsonNode job = api.awaitFinal(id, Duration.ofSeconds(60));
    assertThat(job.get("status").asText()).isEqualTo("FAILED");
    assertThat(job.at("/error/message").asText()).contains("the data is bad");
    assertThat(job.at("/error/retryable").asBoolean()).isFalse();
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void aFailureOnDocker() throws Exception {
    aFailureKeepsTheAgentsMessage("docker");
  }

  @Test
  void aFailureAsAProcess() throws Exception {
    aFailureKeepsTheAgentsMessage("process");
  }

  // ---- cancel ----------------------------------------------------------------------------------

  void cancellingASleepingJobRemovesItsAgentAtOnce(String runtime) throws Exception {
    String id = api.submit(runtime, "sleep", Api.object().put("ms", 120_000));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("jobs/" + id).json(), j -> j.has("agentAcquireMs"));

    Api.Reply cancel = api.post("jobs/" + id + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.json().get("status").asText()).isEqualTo("CANCELLED");

    long start = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertAgentGone(runtime, id));
    long removedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(removedMs).isLessThan(2000);
    JsonNode job = api.get("jobs/" + id).json();
    assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(job.at("/error/type").asText()).isEqualTo("cancelled");
    assertThat(api.post("jobs/" + id + "/cancel", "").status()).isEqualTo(409);
  }

  @Test
  void cancelOnDocker() throws Exception {
    cancellingASleepingJobRemovesItsAgentAtOnce("docker");
  }

  @Test
  void cancelAsAProcess() throws Exception {
    cancellingASleepingJobRemovesItsAgentAtOnce("process");
  }

  // ---- waiting for a job -------------------------------------------------------------------

  @Test
  void aClientCanWaitForTheEndInsteadOfPolling() throws Exception {
    String id = api.submit("process", "sleep", Api.object().put("ms", 700));
    long start = System.nanoTime();
    Api.Reply reply = api.get("jobs/" + id + "?wait=PT30S");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(reply.json().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(millis).isGreaterThanOrEqualTo(600).isLessThan(30_000);

    Api.Reply finished = api.get("jobs/" + id + "?wait=PT30S");
    assertThat(finished.json().get("status").asText()).isEqualTo("SUCCEEDED");

    String slow = api.submit("process", "sleep", Api.object().put("ms", 60_000));
    long before = System.nanoTime();
    Api.Reply notYet = api.get("jobs/" + slow + "?wait=PT0.5S");
    assertThat((System.nanoTime() - before) / 1_000_000).isGreaterThanOrEqualTo(450);
    assertThat(notYet.json().get("status").asText()).isIn("QUEUED", "RUNNING");
    assertThat(api.post("jobs/" + slow + "/cancel", "").status()).isEqualTo(202);

    assertThat(api.get("jobs/" + id + "?wait=forever").json().at("/error/details/field").asText())
        .isEqualTo("wait");
    assertThat(api.get("jobs/" + id + "?wait=PT2M").json().at("/error/details/field").asText())
        .isEqualTo("wait");
  }

  // ---- other nodes ---------------------------------------------------------------------------

  @Test
  void aJobAnotherNodeQueuedIsTakenAtOnceWhenItNotifies() throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection c = TestDatabase.connect()) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into job (id, status, execution_mode, runtime, image, handler, input, queued_at, due_at)"
                  + " values (?, 'QUEUED', 'cold', 'process', 'agentainer/example-agent:latest', 'echo',"
                  + " '{\"from\": \"elsewhere\"}', now(), now())")) {
        insert.setObject(1, id);
        insert.executeUpdate();
      }
      try (PreparedStatement notify =
          c.prepareStatement("select pg_notify('flow_jobs', 'another-node')")) {
        notify.executeQuery();
      }
    }
    JsonNode job =
        await()
            .atMost(Duration.ofSeconds(8))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> api.get("jobs/" + id).json(),
                j -> j.get("status").asText().equals("SUCCEEDED"));
    assertThat(job.at("/output/from").asText()).isEqualTo("elsewhere");
  }

  // ---- bad input --------------------------------------------------------------------------------

  @Test
  void badSubmissionsAre400sNamingTheFieldAndQueueNothing() {
    long before = api.get("jobs?size=1").json().get("total").asLong();
    assertThat(api.post("jobs", "{\"input\":{}}").json().at("/error/details/field").asText())
        .isEqualTo("agent");
    assertThat(api.post("jobs", "{\"agent\":{}}").json().at("/error/details/field").asText())
        .isEqualTo("agent.image");
    assertThat(
            api.post("jobs", "{\"agent\":{\"image\":\"Bad Image\"}}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("agent.image");
    assertThat(
            api.post("jobs", "{\"agent\":{\"image\":\"a:1\",\"runtime\":\"k8s\"}}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("agent.runtime");
    assertThat(
            api.post("jobs", "{\"agent\":{\"image\":\"a:1\"},\"executionMode\":\"warm\"}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("executionMode");
    assertThat(
            api.post("jobs", "{\"agent\":{\"image\":\"a:1\"},\"timeout\":\"soon\"}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("timeout");
    assertThat(
            api.post("jobs", "{\"agent\":{\"image\":\"a:1\",\"memoryMb\":1}}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("agent.memoryMb");
    assertThat(
            api.post("jobs", "{\"agent\":{\"image\":\"a:1\",\"env\":{\"FLOW_TOKEN\":\"x\"}}}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("agent.env");
    Api.Reply unknownField = api.post("jobs", "{\"agent\":{\"image\":\"a:1\"},\"inptu\":{}}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.json().at("/error/details/field").asText()).isEqualTo("inptu");
    Api.Reply broken = api.post("jobs", "{\"agent\":");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(api.get("jobs?size=1").json().get("total").asLong()).isEqualTo(before);
  }

  @Test
  void unknownOrMalformedIdsAre404And400() {
    assertThat(api.get("jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
    Api.Reply bad = api.get("jobs/not-a-uuid");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/details/field").asText()).isEqualTo("id");
    assertThat(api.get("jobs?status=DONE").json().at("/error/details/field").asText())
        .isEqualTo("status");
    assertThat(api.get("jobs?workflowId=x").json().at("/error/details/field").asText())
        .isEqualTo("workflowId");
  }
}
