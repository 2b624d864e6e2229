package io.agentainer.flow.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server on loopback that answers as the API does. */
class FlowClientTest {

  static final String JOB_ID = "5f0c2a4e-8d7b-4c1e-9a3f-0b6d2e1c4a77";
  static final String WORKFLOW_ID = "9a8b7c6d-1111-2222-3333-444455556666";

  static final String FULL_JOB =
      """
      {"id": "%s", "workflowId": "%s", "stepId": "count", "taskId": 3,
       "parentJobId": "p-1", "status": "FAILED", "attempt": 2, "maxAttempts": 3,
       "executionMode": "pooled", "runtime": "process",
       "image": "agentainer/example-agent:latest", "handler": "wordcount",
       "input": {"item": "a b", "index": 3}, "output": null,
       "error": {"type": "IllegalStateException", "message": "boom", "retryable": true},
       "agentId": "agent-7", "queuedAt": "2025-01-02T03:04:05Z",
       "startedAt": "2025-01-02T03:04:06.250Z", "finishedAt": "2025-01-02T03:04:07Z",
       "agentAcquireMs": 12, "somethingNew": {"nested": [1, 2]}}
      """
          .formatted(JOB_ID, WORKFLOW_ID);

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

  static String job(String id, String status) {
    return """
        {"id": "%s", "status": "%s", "attempt": 1, "image": "img", "handler": "echo",
         "queuedAt": "2025-01-02T03:04:05Z"}
        """
        .formatted(id, status);
  }

  // health

  @Test
  void readsHealthIgnoringFieldsItDoesNotKnow() {
    api.json(
        "GET",
        "/api/health",
        200,
        "{\"status\":\"DEGRADED\",\"checks\":{\"database\":{\"status\":\"UP\",\"detail\":"
            + "\"PostgreSQL 15\",\"millis\":3},\"docker\":{\"status\":\"DOWN\",\"detail\":"
            + "\"no socket\",\"millis\":1}},\"extra\":true}");
    ServerHealth health = client().health();
    assertThat(health.status()).isEqualTo("DEGRADED");
    assertThat(health.up()).isFalse();
    assertThat(health.check("database").up()).isTrue();
    assertThat(health.check("docker").detail()).isEqualTo("no socket");
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer secret");
  }

  @Test
  void a503HealthIsAReportNotAnError() {
    api.json("GET", "/api/health", 503, "{\"status\":\"DOWN\",\"checks\":{}}");
    assertThat(client().health().status()).isEqualTo("DOWN");
  }

  @Test
  void anErrorBodyBecomesAnExceptionWithItsCodeMessageAndDetails() {
    api.json(
        "GET",
        "/api/health",
        403,
        "{\"error\":{\"code\":\"forbidden\",\"message\":\"Authorization: not valid\","
            + "\"details\":{\"field\":\"Authorization\",\"hint\":null}}}");
    assertThatThrownBy(() -> client().health())
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("forbidden");
              assertThat(e.getMessage()).isEqualTo("Authorization: not valid");
              assertThat(e.details()).containsEntry("field", "Authorization").containsKey("hint");
            });
  }

  @Test
  void aClosedPortSaysSoInWords() {
    FlowClient client = FlowClient.builder().baseUrl("http://127.0.0.1:1/api").build();
    assertThatThrownBy(client::health)
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.code()).isEqualTo("unreachable");
              assertThat(e.getMessage()).contains("connection refused");
            });
  }

  // submit

  @Test
  void submitsAJobWithEveryOptionAsTheApiSpellsIt() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"" + JOB_ID + "\",\"status\":\"QUEUED\"}");
    JobRequest request =
        JobRequest.builder("agentainer/example-agent:latest")
            .handler("echo")
            .runtime("process")
            .env("GREETING", "hi")
            .env(Map.of("LANG", "C"))
            .cpus(0.5)
            .memoryMb(256)
            .input(Map.of("text", "hello", "n", List.of(1, 2)))
            .executionMode("pooled")
            .timeout(Duration.ofMinutes(1))
            .build();

    JobRef ref = client().submitJob(request);

    assertThat(ref).isEqualTo(new JobRef(JOB_ID, "QUEUED"));
    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/jobs");
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(mapper.readTree(seen.body()))
        .isEqualTo(
            mapper.readTree(
                """
                {"agent": {"image": "agentainer/example-agent:latest", "handler": "echo",
                           "runtime": "process", "env": {"GREETING": "hi", "LANG": "C"},
                           "cpus": 0.5, "memoryMb": 256},
                 "input": {"text": "hello", "n": [1, 2]},
                 "executionMode": "pooled", "timeout": "PT1M"}
                """));
  }

  @Test
  void aMinimalJobSendsOnlyTheImage() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"j\",\"status\":\"QUEUED\",\"more\":1}");
    client().submitJob(JobRequest.builder("img").build());
    assertThat(mapper.readTree(api.last().body()))
        .isEqualTo(mapper.readTree("{\"agent\":{\"image\":\"img\"}}"));
  }

  @Test
  void inputGivenAsJsonIsSentAsIs() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"j\",\"status\":\"QUEUED\"}");
    JsonNode input = mapper.readTree("[1, \"two\", {\"three\": null}]");
    client().submitJob(JobRequest.builder("img").input(input).build());
    assertThat(mapper.readTree(api.last().body()).get("input")).isEqualTo(input);
  }

  @Test
  void aRefusedJobNamesTheField() {
    api.json(
        "POST",
        "/api/jobs",
        400,
        "{\"error\":{\"code\":\"bad_request\",\"message\":\"agent.image: must not be blank\","
            + "\"details\":{\"field\":\"agent.image\"}}}");
    assertThatThrownBy(() -> client().submitJob(JobRequest.builder("img").build()))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("bad_request");
              assertThat(e.getMessage()).isEqualTo("agent.image: must not be blank");
              assertThat(e.details()).containsEntry("field", "agent.image");
            });
  }

  @Test
  void aChildJobNamesItsStep() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"j\",\"status\":\"QUEUED\"}");
    client().submitJob(JobRequest.builder("img").stepId("fanout/child").build());
    assertThat(mapper.readTree(api.last().body()))
        .isEqualTo(mapper.readTree("{\"agent\":{\"image\":\"img\"},\"stepId\":\"fanout/child\"}"));
  }

  @Test
  void aJobNeedsAnImage() {
    assertThatThrownBy(() -> JobRequest.builder(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image");
  }

  // read

  @Test
  void readsEveryFieldOfAJob() {
    api.json("GET", "/api/jobs/" + JOB_ID, 200, FULL_JOB);

    Job job = client().job(JOB_ID);

    assertThat(api.last().method()).isEqualTo("GET");
    assertThat(api.last().header("Accept")).isEqualTo("application/json");
    assertThat(job.id()).isEqualTo(JOB_ID);
    assertThat(job.workflowId()).isEqualTo(WORKFLOW_ID);
    assertThat(job.stepId()).isEqualTo("count");
    assertThat(job.taskId()).isEqualTo(3);
    assertThat(job.parentJobId()).isEqualTo("p-1");
    assertThat(job.status()).isEqualTo(Job.FAILED);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(job.executionMode()).isEqualTo("pooled");
    assertThat(job.runtime()).isEqualTo("process");
    assertThat(job.image()).isEqualTo("agentainer/example-agent:latest");
    assertThat(job.handler()).isEqualTo("wordcount");
    assertThat(job.input().get("item").asText()).isEqualTo("a b");
    assertThat(job.error()).isEqualTo(new JobError("IllegalStateException", "boom", true));
    assertThat(job.agentId()).isEqualTo("agent-7");
    assertThat(job.queuedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
    assertThat(job.startedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:06.250Z"));
    assertThat(job.finishedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:07Z"));
    assertThat(job.agentAcquireMs()).isEqualTo(12L);
    assertThat(job.finished()).isTrue();
    assertThat(job.succeeded()).isFalse();
  }

  @Test
  void valuesTheServerLeavesOutAreNull() {
    api.json("GET", "/api/jobs/j1", 200, job("j1", "QUEUED"));
    Job job = client().job("j1");
    assertThat(job.workflowId()).isNull();
    assertThat(job.taskId()).isNull();
    assertThat(job.input()).isNull();
    assertThat(job.error()).isNull();
    assertThat(job.startedAt()).isNull();
    assertThat(job.agentAcquireMs()).isNull();
    assertThat(job.finished()).isFalse();
  }

  @Test
  void anUnknownJobIsA404WithTheServersWords() {
    api.json(
        "GET",
        "/api/jobs/nope",
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no job nope\",\"details\":{}}}");
    assertThatThrownBy(() -> client().job("nope"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("not_found");
              assertThat(e.getMessage()).isEqualTo("no job nope");
            });
  }

  @Test
  void anIdIsOnePathSegment() {
    api.json("GET", "/api/jobs/a%2Fb%20c", 200, job("a/b c", "QUEUED"));
    assertThat(client().job("a/b c").id()).isEqualTo("a/b c");
    assertThat(api.last().path()).isEqualTo("/api/jobs/a%2Fb%20c");
  }

  @Test
  void aBlankIdIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client().job(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void anErrorThatIsNotJsonKeepsTheBodyAsMessage() {
    api.text("GET", "/api/jobs/j1", 502, "Bad Gateway");
    assertThatThrownBy(() -> client().job("j1"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isEqualTo("http_502");
              assertThat(e.getMessage()).isEqualTo("Bad Gateway");
            });
  }

  @Test
  void anUnreadableAnswerIsAClientExceptionNotAJacksonOne() {
    api.json("GET", "/api/jobs/j1", 200, "<html>proxy</html>");
    assertThatThrownBy(() -> client().job("j1"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_response");
              assertThat(e.getMessage()).startsWith("unreadable answer from " + api.api());
            });
  }

  // lists

  @Test
  void listsJobsWithEveryFilterInTheQuery() {
    api.json(
        "GET",
        "/api/jobs",
        200,
        "{\"items\":["
            + job("j2", "RUNNING")
            + ","
            + job("j1", "QUEUED")
            + "],"
            + "\"total\":42,\"page\":2,\"size\":10}");

    Page<Job> page =
        client()
            .jobs(
                JobFilter.builder()
                    .workflowId(WORKFLOW_ID)
                    .statuses("QUEUED", "RUNNING")
                    .page(2)
                    .size(10)
                    .build());

    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.rawQuery())
        .isEqualTo("workflowId=" + WORKFLOW_ID + "&status=QUEUED&status=RUNNING&page=2&size=10");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(page.items()).extracting(Job::id).containsExactly("j2", "j1");
    assertThat(page.items().get(0).status()).isEqualTo("RUNNING");
    assertThat(page.total()).isEqualTo(42);
    assertThat(page.page()).isEqualTo(2);
    assertThat(page.size()).isEqualTo(10);
    assertThat(page.totalPages()).isEqualTo(5);
    assertThat(page.hasNext()).isTrue();
  }

  @Test
  void allJobsSendsNoQuery() {
    api.json("GET", "/api/jobs", 200, "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}");
    Page<Job> page = client().jobs(JobFilter.all());
    assertThat(api.last().rawQuery()).isNull();
    assertThat(page.items()).isEmpty();
    assertThat(page.totalPages()).isZero();
    assertThat(page.hasNext()).isFalse();
  }

  @Test
  void queryValuesAreEncoded() {
    api.json("GET", "/api/jobs", 200, "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}");
    client().jobs(JobFilter.builder().workflowId("a&b=c d").build());
    assertThat(api.last().query("workflowId")).containsExactly("a&b=c d");
  }

  @Test
  void listsAWorkflowsJobsInTheServersOrder() {
    api.json(
        "GET",
        "/api/workflows/" + WORKFLOW_ID + "/jobs",
        200,
        "{\"items\":["
            + FULL_JOB
            + ","
            + job("j9", "SUCCEEDED")
            + "],"
            + "\"total\":2,\"page\":0,\"size\":20,\"extra\":\"ignored\"}");
    Set<String> statuses = new LinkedHashSet<>(List.of("FAILED", "SUCCEEDED"));

    Page<Job> page = client().workflowJobs(WORKFLOW_ID, statuses, 0, 20);

    assertThat(api.last().rawQuery()).isEqualTo("status=FAILED&status=SUCCEEDED&page=0&size=20");
    assertThat(page.items()).extracting(Job::id).containsExactly(JOB_ID, "j9");
    assertThat(page.items().get(0).error().retryable()).isTrue();
    assertThat(page.totalPages()).isEqualTo(1);
  }

  @Test
  void aWorkflowWithoutStatusFilterSendsOnlyThePage() {
    api.json(
        "GET", "/api/workflows/w/jobs", 200, "{\"items\":[],\"total\":0,\"page\":1,\"size\":5}");
    client().workflowJobs("w", null, 1, 5);
    assertThat(api.last().rawQuery()).isEqualTo("page=1&size=5");
  }

  @Test
  void aFilterRefusesPagesTheApiRefuses() {
    assertThatThrownBy(() -> JobFilter.builder().page(-1).build()).hasMessageContaining("page");
    assertThatThrownBy(() -> JobFilter.builder().size(0).build()).hasMessageContaining("size");
  }

  // cancel and logs

  @Test
  void cancelsAJob() {
    api.json("POST", "/api/jobs/j1/cancel", 202, job("j1", "CANCELLED"));
    Job job = client().cancelJob("j1");
    assertThat(api.last().method()).isEqualTo("POST");
    assertThat(api.last().path()).isEqualTo("/api/jobs/j1/cancel");
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer secret");
    assertThat(job.status()).isEqualTo("CANCELLED");
  }

  @Test
  void cancellingAFinishedJobIsAConflict() {
    api.json(
        "POST",
        "/api/jobs/j1/cancel",
        409,
        "{\"error\":{\"code\":\"conflict\",\"message\":\"job j1 already SUCCEEDED\"}}");
    assertThatThrownBy(() -> client().cancelJob("j1"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).isEqualTo("job j1 already SUCCEEDED");
            });
  }

  @Test
  void readsLogsAsText() {
    String logs = "started\nstderr: ünïcode ✓\n";
    api.text("GET", "/api/jobs/j1/logs", 200, logs);
    assertThat(client().jobLogs("j1")).isEqualTo(logs);
    assertThat(api.last().headers().get("Accept")).containsExactly("text/plain, application/json");
  }

  @Test
  void logsOfAnUnknownJobAreA404() {
    api.json(
        "GET",
        "/api/jobs/x/logs",
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no job x\"}}");
    assertThatThrownBy(() -> client().jobLogs("x"))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.getMessage()).isEqualTo("no job x"));
  }

  // await

  /** A clock that moves only when the client "sleeps", recording each pause. */
  static final class SleepingClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    final List<Duration> pauses = new ArrayList<>();

    void sleep(Duration duration) {
      pauses.add(duration);
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private FlowClient awaitingClient(SleepingClock clock) {
    return FlowClient.builder()
        .baseUrl(api.api())
        .token("secret")
        .clock(clock)
        .sleeper(clock::sleep)
        .build();
  }

  @Test
  void awaitPollsWithGrowingPausesUntilTheJobFinishes() {
    api.json("GET", "/api/jobs/j1", 200, job("j1", "QUEUED"))
        .json("GET", "/api/jobs/j1", 200, job("j1", "RUNNING"))
        .json("GET", "/api/jobs/j1", 200, job("j1", "RUNNING"))
        .json("GET", "/api/jobs/j1", 200, job("j1", "SUCCEEDED"));
    SleepingClock clock = new SleepingClock();

    Job job = awaitingClient(clock).awaitJob("j1", Duration.ofMinutes(1));

    assertThat(job.status()).isEqualTo("SUCCEEDED");
    assertThat(api.requests()).hasSize(4);
    // the server is asked to hold the answer (at most 30 s); this one answered at once, so the
    // client paused before asking again
    assertThat(api.requests().get(0).query("wait")).containsExactly("PT30S");
    assertThat(clock.pauses)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(225));
  }

  @Test
  void awaitReturnsAFinishedJobWithoutPausing() {
    api.json("GET", "/api/jobs/j1", 200, job("j1", "FAILED"));
    SleepingClock clock = new SleepingClock();
    assertThat(awaitingClient(clock).awaitJob("j1", Duration.ZERO).status()).isEqualTo("FAILED");
    assertThat(clock.pauses).isEmpty();
  }

  @Test
  void awaitGivesUpAtTheDeadlineSayingWhereTheJobIs() {
    api.json("GET", "/api/jobs/j1", 200, job("j1", "RUNNING"));
    SleepingClock clock = new SleepingClock();
    Instant start = clock.instant();

    assertThatThrownBy(() -> awaitingClient(clock).awaitJob("j1", Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("timeout");
              assertThat(e.status()).isZero();
              assertThat(e.getMessage()).isEqualTo("job j1 is still RUNNING after PT5S");
            });
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(5));
    assertThat(clock.pauses)
        .allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    // 100, 150, 225, 337, 505, 757, 1135, 1702, then the 89 ms left; a last look at the deadline
    assertThat(clock.pauses).hasSize(9).last().isEqualTo(Duration.ofMillis(89));
    assertThat(api.requests()).hasSize(10);
  }

  @Test
  void awaitRidesOutAnUnavailableServer() {
    api.json("GET", "/api/jobs/j1", 200, job("j1", "RUNNING"))
        .json(
            "GET", "/api/jobs/j1", 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"x\"}}")
        .json("GET", "/api/jobs/j1", 200, job("j1", "SUCCEEDED"));
    Job job = awaitingClient(new SleepingClock()).awaitJob("j1", Duration.ofMinutes(1));
    assertThat(job.succeeded()).isTrue();
  }

  @Test
  void awaitStopsAtOnceForAnUnknownJob() {
    SleepingClock clock = new SleepingClock();
    assertThatThrownBy(() -> awaitingClient(clock).awaitJob("nope", Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(clock.pauses).isEmpty();
  }

  @Test
  void oneClientServesManyThreads() throws Exception {
    api.json("GET", "/api/jobs/j1", 200, job("j1", "RUNNING"));
    FlowClient client = client();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int n = 0; n < 5; n++) {
                    assertThat(client.job("j1").status()).isEqualTo("RUNNING");
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
    assertThat(api.requests()).hasSize(40);
  }
}
