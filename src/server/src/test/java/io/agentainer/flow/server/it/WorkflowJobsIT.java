package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A run's jobs through the API, and jobs that agents start inside their run. */
@ArquillianTest
@RunAsClient
class WorkflowJobsIT {

  private static final String[] STATUSES = {
    "SUCCEEDED", "FAILED", "CANCELLED", "RUNNING", "QUEUED"
  };

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;
  private Api api;

  @BeforeEach
  void client() throws Exception {
    api = new Api(base.toURI());
  }

  /** 250 jobs in 5 steps of 50 tasks, statuses by task; queued ones due far in the future. */
  private static UUID runWith250Jobs() throws Exception {
    UUID run = TestDatabase.newRun();
    try (Connection c = TestDatabase.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into job (id, run_id, step_name, task_id, status, execution_mode, runtime, image,"
                    + " queued_at, due_at, started_at, finished_at)"
                    + " values (gen_random_uuid(), ?, ?, ?, ?, 'cold', 'process', 'agentainer/example-agent:latest',"
                    + " now(), now() + interval '100 years', ?, ?)")) {
      // inserted out of order on purpose
      for (int step = 4; step >= 0; step--) {
        for (int task = 49; task >= 0; task--) {
          String status = STATUSES[task % 5];
          insert.setObject(1, run);
          insert.setString(2, "step-" + (char) ('a' + step));
          insert.setInt(3, task);
          insert.setString(4, status);
          boolean started = !status.equals("QUEUED");
          boolean finished = started && !status.equals("RUNNING");
          insert.setObject(5, started ? java.time.OffsetDateTime.now() : null);
          insert.setObject(6, finished ? java.time.OffsetDateTime.now() : null);
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
    return run;
  }

  @Test
  void listsARunsJobsByStepThenTaskWithFiltersAndPages() throws Exception {
    UUID run = runWith250Jobs();
    String path = "workflows/" + run + "/jobs";

    List<String> seen = new ArrayList<>();
    for (int page = 0; page < 3; page++) {
      JsonNode body = api.get(path + "?size=100&page=" + page).json();
      assertThat(body.get("total").asInt()).isEqualTo(250);
      assertThat(body.get("page").asInt()).isEqualTo(page);
      body.get("items")
          .forEach(j -> seen.add(j.get("stepId").asText() + "/" + j.get("taskId").asInt()));
    }
    List<String> expected = new ArrayList<>();
    for (int step = 0; step < 5; step++) {
      for (int task = 0; task < 50; task++) {
        expected.add("step-" + (char) ('a' + step) + "/" + task);
      }
    }
    assertThat(seen).containsExactlyElementsOf(expected);

    JsonNode last = api.get(path + "?size=100&page=2").json();
    assertThat(last.get("items")).hasSize(50);
    JsonNode past = api.get(path + "?size=100&page=3").json();
    assertThat(past.get("items")).isEmpty();
    assertThat(past.get("total").asInt()).isEqualTo(250);

    for (String status : STATUSES) {
      JsonNode filtered = api.get(path + "?size=500&status=" + status).json();
      assertThat(filtered.get("total").asInt()).as(status).isEqualTo(50);
      filtered.get("items").forEach(j -> assertThat(j.get("status").asText()).isEqualTo(status));
    }
    JsonNode two = api.get(path + "?size=500&status=FAILED&status=cancelled").json();
    assertThat(two.get("total").asInt()).isEqualTo(100);
    JsonNode comma = api.get(path + "?size=500&status=FAILED,CANCELLED").json();
    assertThat(comma.get("total").asInt()).isEqualTo(100);
    JsonNode first = two.get("items").get(0);
    assertThat(first.get("workflowId").asText()).isEqualTo(run.toString());
    assertThat(first.get("stepId").asText()).isEqualTo("step-a");
    assertThat(first.get("taskId").asInt()).isEqualTo(1);
  }

  @Test
  void badPagingOrStatusIsA400NamingTheParameter() throws Exception {
    UUID run = TestDatabase.newRun();
    String path = "workflows/" + run + "/jobs";
    assertThat(api.get(path + "?size=0").json().at("/error/details/field").asText())
        .isEqualTo("size");
    assertThat(api.get(path + "?size=501").json().at("/error/details/field").asText())
        .isEqualTo("size");
    assertThat(api.get(path + "?page=-1").json().at("/error/details/field").asText())
        .isEqualTo("page");
    assertThat(api.get(path + "?status=DONE").json().at("/error/details/field").asText())
        .isEqualTo("status");
    Api.Reply notANumber = api.get(path + "?page=x");
    assertThat(notANumber.status()).as(notANumber.text()).isEqualTo(400);
    assertThat(notANumber.json().at("/error/details/field").asText()).isEqualTo("page");
    Api.Reply notASize = api.get("jobs?size=x");
    assertThat(notASize.status()).as(notASize.text()).isEqualTo(400);
    assertThat(notASize.json().at("/error/details/field").asText()).isEqualTo("size");
    assertThat(api.get("workflows/" + UUID.randomUUID() + "/jobs").status()).isEqualTo(404);
    assertThat(api.get("workflows/nope/jobs").json().at("/error/details/field").asText())
        .isEqualTo("id");
  }

  // ---- jobs started by agents ---------------------------------------------------------------

  private static UUID runningParent(UUID run) throws Exception {
    UUID parent = UUID.randomUUID();
    try (Connection c = TestDatabase.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into job (id, run_id, step_name, task_id, status, execution_mode, runtime, image,"
                    + " queued_at, due_at, started_at) values (?, ?, 'count', 0, 'RUNNING', 'cold', 'process',"
                    + " 'agentainer/example-agent:latest', now(), now(), now())")) {
      insert.setObject(1, parent);
      insert.setObject(2, run);
      insert.executeUpdate();
    }
    return parent;
  }

  @Test
  void aJobStartedWithARunTokenIsAChildInItsRun() throws Exception {
    UUID run = TestDatabase.newRun();
    UUID parent = runningParent(run);
    String token = TestDatabase.jobToken(run, parent);

    JsonNode body =
        Api.JSON.readTree(
            "{\"agent\":{\"image\":\"agentainer/example-agent:latest\",\"handler\":\"echo\",\"runtime\":\"process\"},"
                + "\"input\":{\"part\":1},\"stepId\":\"chunk\"}");
    Api.Reply reply = api.post("jobs", body, token);
    assertThat(reply.status()).as(reply.text()).isEqualTo(202);
    String child = reply.json().get("id").asText();

    JsonNode job = await(child, token);
    assertThat(job.get("workflowId").asText()).isEqualTo(run.toString());
    assertThat(job.get("parentJobId").asText()).isEqualTo(parent.toString());
    assertThat(job.get("stepId").asText()).isEqualTo("count/chunk");
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/output/part").asInt()).isEqualTo(1);

    JsonNode jobs = api.get("workflows/" + run + "/jobs", token).json();
    assertThat(jobs.get("total").asInt()).isEqualTo(2);

    // the metadata reaches the child's agent, in the request and in its environment
    JsonNode whoami =
        Api.JSON.readTree(
            "{\"agent\":{\"image\":\"agentainer/example-agent:latest\",\"handler\":\"whoami\",\"runtime\":\"docker\"}}");
    String second = api.post("jobs", whoami, token).json().get("id").asText();
    JsonNode seen = await(second, token).get("output");
    assertThat(seen.at("/request/workflowId").asText()).isEqualTo(run.toString());
    assertThat(seen.at("/request/stepId").asText()).isEqualTo("count/whoami");
    assertThat(seen.at("/env/FLOW_WORKFLOW_ID").asText()).isEqualTo(run.toString());
    assertThat(seen.at("/env/FLOW_STEP_ID").asText()).isEqualTo("count/whoami");
    assertThat(seen.at("/env/FLOW_PARENT_JOB_ID").asText()).isEqualTo(parent.toString());

    // once the parent has ended, its token starts no more jobs in the run
    try (Connection c = TestDatabase.connect();
        PreparedStatement end =
            c.prepareStatement(
                "update job set status = 'SUCCEEDED', finished_at = now() where id = ?")) {
      end.setObject(1, parent);
      assertThat(end.executeUpdate()).isEqualTo(1);
    }
    Api.Reply late = api.post("jobs", body, token);
    assertThat(late.status()).as(late.text()).isEqualTo(409);
    assertThat(late.json().at("/error/details/field").asText()).isEqualTo("parentJobId");
    assertThat(late.json().at("/error/message").asText()).contains(parent.toString());
    assertThat(api.get("workflows/" + run + "/jobs").json().get("total").asInt()).isEqualTo(3);
  }

  private JsonNode await(String id, String token) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> api.get("jobs/" + id, token).json(),
            j -> Api.FINAL.contains(j.get("status").asText()));
  }

  @Test
  void aRunTokenReachesNothingOutsideItsRun() throws Exception {
    UUID run = TestDatabase.newRun();
    UUID other = TestDatabase.newRun();
    UUID parent = runningParent(run);
    UUID stranger = runningParent(other);
    String token = TestDatabase.jobToken(run, parent);

    assertThat(api.get("workflows/" + other + "/jobs", token).status()).isEqualTo(403);
    assertThat(api.get("jobs/" + stranger, token).status()).isEqualTo(404);
    assertThat(api.get("jobs", token).status()).isEqualTo(403);
    assertThat(api.get("nodes", token).status()).isEqualTo(403);
    assertThat(api.get("jobs/" + parent, token).status()).isEqualTo(200);

    String forged = token.substring(0, token.length() - 4) + "AAAA";
    assertThat(api.get("jobs/" + parent, forged).status()).isEqualTo(403);
    String otherRun = token.replace(run.toString(), other.toString());
    assertThat(api.get("workflows/" + other + "/jobs", otherRun).status()).isEqualTo(403);
  }
}
