package io.agentainer.flow.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Definitions, runs and event history against a stand-in API on loopback. */
class FlowClientRunsTest {

  static final String RUN_ID = "9a8b7c6d-1111-2222-3333-444455556666";
  static final String CHILD_ID = "11111111-2222-3333-4444-555555555555";

  static final String YAML =
      """
      name: wordcount
      steps:
        - name: count
          agent: {image: agentainer/example-agent:latest, handler: wordcount}
      """;

  static final String INVALID =
      """
      {"error": {"code": "invalid_definition",
                 "message": "steps[count].retry.maxAttempts: must be 1 or more",
                 "details": {"problems": [
                   {"path": "steps[count].retry.maxAttempts", "message": "must be 1 or more"},
                   {"path": "steps[total].dependsOn", "message": "unknown step 'cnt'"}]}}}
      """;

  static final String FULL_RUN =
      """
      {"id": "%s", "definition": "wordcount", "version": 3, "status": "RUNNING",
       "input": {"docs": ["a b", "c"]}, "output": null, "error": null,
       "progress": 0.5, "eta": "2025-01-02T03:05:00Z", "queuePosition": 4,
       "parentRunId": null, "parentStep": null, "trigger": "api",
       "createdAt": "2025-01-02T03:04:00Z", "startedAt": "2025-01-02T03:04:01Z",
       "finishedAt": null, "somethingNew": [1],
       "steps": [
         {"name": "count", "kind": "map", "status": "RUNNING", "total": 20, "succeeded": 9,
          "failed": 1, "running": 4, "attempt": 1, "childRunId": null, "output": null,
          "error": null, "startedAt": "2025-01-02T03:04:01Z", "finishedAt": null},
         {"name": "sub", "kind": "workflow", "status": "FAILED", "total": 1, "succeeded": 0,
          "failed": 1, "running": 0, "attempt": 2, "childRunId": "%s", "output": null,
          "error": {"type": "child_failed", "message": "child run failed", "retryable": false},
          "startedAt": null, "finishedAt": "2025-01-02T03:04:30Z"}]}
      """
          .formatted(RUN_ID, CHILD_ID);

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

  static String run(String id, String status) {
    return """
        {"id": "%s", "definition": "wordcount", "version": 1, "status": "%s", "trigger": "api",
         "progress": 0.25, "createdAt": "2025-01-02T03:04:00Z"}
        """
        .formatted(id, status);
  }

  // definitions

  @Test
  void appliesYamlAsItIsWritten() {
    api.json("POST", "/api/definitions", 201, "{\"name\":\"wordcount\",\"version\":3}");

    DefinitionRef ref = client().applyDefinition(YAML, null);

    assertThat(ref).isEqualTo(new DefinitionRef("wordcount", 3, true));
    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.body()).isEqualTo(YAML);
    assertThat(seen.header("Content-Type")).isEqualTo("application/yaml; charset=utf-8");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
  }

  @Test
  void textStartingWithABraceIsSentAsJson() {
    api.json("POST", "/api/definitions", 201, "{\"name\":\"w\",\"version\":1}");
    client().applyDefinition("\n  {\"name\": \"w\", \"steps\": []}", null);
    assertThat(api.last().header("Content-Type")).startsWith("application/json");
  }

  @Test
  void anExplicitFormatWinsOverTheText() {
    api.json("POST", "/api/definitions", 201, "{\"name\":\"w\",\"version\":1}");
    client().applyDefinition("{name: w, steps: []}", "YML");
    assertThat(api.last().header("Content-Type")).startsWith("application/yaml");
    client().applyDefinition("name: w", "json");
    assertThat(api.last().header("Content-Type")).startsWith("application/json");
  }

  @Test
  void anUnknownFormatIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client().applyDefinition(YAML, "toml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("json or yaml");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void theSameTextAgainIsNotANewVersion() {
    api.json("POST", "/api/definitions", 200, "{\"name\":\"wordcount\",\"version\":3}");
    assertThat(client().applyDefinition(YAML, "yaml"))
        .isEqualTo(new DefinitionRef("wordcount", 3, false));
  }

  @Test
  void anInvalidDefinitionCarriesEveryProblem() {
    api.json("POST", "/api/definitions", 400, INVALID);
    assertThatThrownBy(() -> client().applyDefinition(YAML, null))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("invalid_definition");
              assertThat(e.getMessage())
                  .isEqualTo("steps[count].retry.maxAttempts: must be 1 or more");
              assertThat(e.problems())
                  .containsExactly(
                      new Problem("steps[count].retry.maxAttempts", "must be 1 or more"),
                      new Problem("steps[total].dependsOn", "unknown step 'cnt'"));
            });
  }

  @Test
  void anErrorWithoutProblemsHasNone() {
    api.json(
        "POST",
        "/api/definitions",
        400,
        "{\"error\":{\"code\":\"invalid_request\",\"message\":\"x\",\"details\":{\"field\":\"f\"}}}");
    assertThatThrownBy(() -> client().applyDefinition(YAML, null))
        .isInstanceOfSatisfying(FlowClientException.class, e -> assertThat(e.problems()).isEmpty());
  }

  @Test
  void validatingAValidDefinitionFindsNoProblem() {
    api.json("POST", "/api/definitions/validate", 200, "{\"valid\":true}");
    assertThat(client().validateDefinition(YAML, null)).isEmpty();
    assertThat(api.last().body()).isEqualTo(YAML);
    assertThat(api.last().header("Content-Type")).startsWith("application/yaml");
  }

  @Test
  void validatingAnInvalidDefinitionReturnsItsProblems() {
    api.json("POST", "/api/definitions/validate", 400, INVALID);
    assertThat(client().validateDefinition(YAML, null))
        .extracting(Problem::toString)
        .containsExactly(
            "steps[count].retry.maxAttempts: must be 1 or more",
            "steps[total].dependsOn: unknown step 'cnt'");
  }

  @Test
  void validatingStillThrowsForOtherRefusals() {
    api.json(
        "POST",
        "/api/definitions/validate",
        401,
        "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Authorization: missing\"}}");
    assertThatThrownBy(() -> client().validateDefinition(YAML, null))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void listsDefinitionsWithTheirLatestVersion() {
    api.json(
        "GET",
        "/api/definitions",
        200,
        """
        {"items": [{"name": "wordcount", "latestVersion": 3, "description": "counts words",
                    "createdAt": "2025-01-02T03:04:05Z"},
                   {"name": "etl", "latestVersion": 1, "description": null,
                    "createdAt": "2025-01-01T00:00:00Z"}],
         "total": 12, "page": 1, "size": 2}
        """);

    Page<DefinitionSummary> page = client().definitions(1, 2);

    assertThat(api.last().rawQuery()).isEqualTo("page=1&size=2");
    assertThat(page.items())
        .containsExactly(
            new DefinitionSummary(
                "wordcount", 3, "counts words", Instant.parse("2025-01-02T03:04:05Z")),
            new DefinitionSummary("etl", 1, null, Instant.parse("2025-01-01T00:00:00Z")));
    assertThat(page.total()).isEqualTo(12);
    assertThat(page.hasNext()).isTrue();
  }

  @Test
  void readsADefinitionItsVersionsAndOneVersion() {
    String view =
        "{\"name\":\"w x\",\"version\":%d,\"description\":\"d\",\"spec\":{\"steps\":[]},"
            + "\"createdAt\":\"2025-01-02T03:04:05Z\"}";
    api.json("GET", "/api/definitions/w%20x", 200, view.formatted(3))
        .json("GET", "/api/definitions/w%20x/versions/2", 200, view.formatted(2))
        .json(
            "GET",
            "/api/definitions/w%20x/versions",
            200,
            "{\"items\":[{\"name\":\"w x\",\"version\":1,\"specHash\":\"abc\","
                + "\"createdAt\":\"2025-01-01T00:00:00Z\"}],\"total\":3,\"page\":0,\"size\":1}");
    FlowClient client = client();

    Definition latest = client.definition("w x");
    assertThat(latest.version()).isEqualTo(3);
    assertThat(latest.spec().path("steps").isArray()).isTrue();
    assertThat(client.definition("w x", 2).version()).isEqualTo(2);
    Page<Definition> versions = client.definitionVersions("w x", 0, 1);
    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=1");
    assertThat(versions.items())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.specHash()).isEqualTo("abc");
              assertThat(v.spec()).isNull();
            });
  }

  // runs

  @Test
  void startsARunWithItsInputAndIdempotencyKey() throws IOException {
    api.json(
        "POST",
        "/api/definitions/wordcount/runs",
        202,
        "{\"id\":\"" + RUN_ID + "\",\"status\":\"PENDING\",\"queuePosition\":3,\"created\":true}");

    RunRef ref =
        client().startRun("wordcount", Map.of("docs", List.of("a b", "c")), "nightly-2025-01-02");

    assertThat(ref).isEqualTo(new RunRef(RUN_ID, "PENDING", 3L, true));
    FakeApi.Request seen = api.last();
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(mapper.readTree(seen.body()))
        .isEqualTo(
            mapper.readTree(
                "{\"input\":{\"docs\":[\"a b\",\"c\"]},\"idempotencyKey\":\"nightly-2025-01-02\"}"));
  }

  @Test
  void aKeyThatAlreadyStartedARunAnswersThatRun() throws IOException {
    api.json(
        "POST",
        "/api/definitions/wordcount/runs",
        200,
        "{\"id\":\"" + RUN_ID + "\",\"status\":\"RUNNING\",\"queuePosition\":0,\"created\":false}");
    RunRef ref = client().startRun("wordcount", mapper.readTree("{\"n\":1}"), "k");
    assertThat(ref.created()).isFalse();
    assertThat(ref.status()).isEqualTo("RUNNING");
  }

  @Test
  void withoutCreatedTheStatusCodeTells() {
    api.json("POST", "/api/definitions/w/runs", 202, "{\"id\":\"r\",\"status\":\"PENDING\"}");
    assertThat(client().startRun("w", null, null))
        .isEqualTo(new RunRef("r", "PENDING", null, true));
    assertThat(api.last().body()).isEqualTo("{}");
  }

  @Test
  void inputThatDoesNotFitTheParametersListsItsProblems() {
    api.json(
        "POST",
        "/api/definitions/w/runs",
        400,
        "{\"error\":{\"code\":\"invalid_input\",\"message\":\"input.docs: is required\","
            + "\"details\":{\"field\":\"input.docs\",\"problems\":["
            + "{\"path\":\"input.docs\",\"message\":\"is required\"}]}}}");
    assertThatThrownBy(() -> client().startRun("w", Map.of(), null))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_input");
              assertThat(e.problems()).containsExactly(new Problem("input.docs", "is required"));
            });
  }

  @Test
  void readsEveryFieldOfARunAndItsSteps() {
    api.json("GET", "/api/workflows/" + RUN_ID, 200, FULL_RUN);

    Run run = client().run(RUN_ID);

    assertThat(run.id()).isEqualTo(RUN_ID);
    assertThat(run.definition()).isEqualTo("wordcount");
    assertThat(run.version()).isEqualTo(3);
    assertThat(run.status()).isEqualTo(Run.RUNNING);
    assertThat(run.input().path("docs").size()).isEqualTo(2);
    assertThat(run.progress()).isEqualTo(0.5);
    assertThat(run.eta()).isEqualTo(Instant.parse("2025-01-02T03:05:00Z"));
    assertThat(run.queuePosition()).isEqualTo(4L);
    assertThat(run.trigger()).isEqualTo("api");
    assertThat(run.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:00Z"));
    assertThat(run.finishedAt()).isNull();
    assertThat(run.errorMessage()).isNull();
    assertThat(run.finished()).isFalse();
    assertThat(run.steps()).extracting(Run.Step::name).containsExactly("count", "sub");
    Run.Step count = run.steps().get(0);
    assertThat(count.kind()).isEqualTo("map");
    assertThat(count.total()).isEqualTo(20);
    assertThat(count.done()).isEqualTo(10);
    assertThat(count.running()).isEqualTo(4);
    Run.Step sub = run.steps().get(1);
    assertThat(sub.childRunId()).isEqualTo(CHILD_ID);
    assertThat(sub.attempt()).isEqualTo(2);
    assertThat(sub.errorMessage()).isEqualTo("child_failed: child run failed");
  }

  @Test
  void aRunErrorMayBeTextOrAnObject() {
    api.json(
            "GET",
            "/api/workflows/r",
            200,
            run("r", "FAILED").replace("\"trigger\"", "\"error\":\"boom\",\"trigger\""))
        .json(
            "GET",
            "/api/workflows/r",
            200,
            run("r", "FAILED").replace("\"trigger\"", "\"error\":{\"message\":\"m\"},\"trigger\""));
    FlowClient client = client();
    assertThat(client.run("r").errorMessage()).isEqualTo("boom");
    assertThat(client.run("r").errorMessage()).isEqualTo("m");
  }

  @Test
  void listsRunsWithEveryFilter() {
    api.json(
        "GET",
        "/api/workflows",
        200,
        "{\"items\":["
            + run("r2", "FAILED")
            + ","
            + run("r1", "SUCCEEDED")
            + "],"
            + "\"total\":2,\"page\":0,\"size\":20}");
    Set<String> statuses = new LinkedHashSet<>(List.of("FAILED", "SUCCEEDED"));

    Page<Run> page = client().runs("word count", statuses, 0, 20);

    assertThat(api.last().query("definition")).containsExactly("word count");
    assertThat(api.last().rawQuery()).endsWith("&status=FAILED&status=SUCCEEDED&page=0&size=20");
    assertThat(page.items()).extracting(Run::id).containsExactly("r2", "r1");
    assertThat(page.items().get(0).steps()).isNull();
    assertThat(page.items().get(1).succeeded()).isTrue();
  }

  @Test
  void listingAllRunsSendsOnlyThePage() {
    api.json("GET", "/api/workflows", 200, "{\"items\":[],\"total\":0,\"page\":2,\"size\":5}");
    client().runs(null, null, 2, 5);
    assertThat(api.last().rawQuery()).isEqualTo("page=2&size=5");
  }

  @Test
  void listsTheRunsOfATimeRange() {
    api.json("GET", "/api/workflows", 200, "{\"items\":[],\"total\":0,\"page\":0,\"size\":5}");
    client()
        .runs(
            null,
            null,
            Instant.parse("2026-11-28T10:00:00Z"),
            Instant.parse("2026-11-28T11:00:00Z"),
            0,
            5);
    assertThat(api.last().query("from")).containsExactly("2026-11-28T10:00:00Z");
    assertThat(api.last().query("to")).containsExactly("2026-11-28T11:00:00Z");
  }

  @Test
  void readsRunStatistics() {
    api.json(
        "GET",
        "/api/workflows/stats",
        200,
        """
        {"from": "2026-11-28T10:00:00Z", "to": "2026-11-28T12:00:00Z", "bucketSeconds": 3600,
         "buckets": [
           {"start": "2026-11-28T10:00:00Z", "started": 5, "succeeded": 3, "failed": 1,
            "cancelled": 1, "timedOut": 0},
           {"start": "2026-11-28T11:00:00Z", "started": 0, "succeeded": 0, "failed": 0,
            "cancelled": 0, "timedOut": 2}],
         "definitions": [{"definition": "wordcount", "runs": 5, "succeeded": 3, "failed": 1,
                          "running": 0, "averageDurationMs": 1500, "maxDurationMs": 4000},
                         {"definition": "fresh", "runs": 1, "succeeded": 0, "failed": 0,
                          "running": 1, "averageDurationMs": null, "maxDurationMs": null}],
         "recentFailures": [{"id": "r9", "definition": "wordcount", "version": 2,
                             "status": "FAILED", "finishedAt": "2026-11-28T10:30:00Z",
                             "errorType": "failed", "errorMessage": "no docs"}],
         "somethingNew": true}
        """);

    RunStats stats = client().runStats(Instant.parse("2026-11-28T10:00:00Z"), null, 2);

    assertThat(api.last().query("from")).containsExactly("2026-11-28T10:00:00Z");
    assertThat(api.last().query("to")).isEmpty();
    assertThat(api.last().query("buckets")).containsExactly("2");
    assertThat(stats.bucketSeconds()).isEqualTo(3600);
    assertThat(stats.buckets()).extracting(RunStats.Bucket::finished).containsExactly(5L, 2L);
    assertThat(stats.definitions().get(0).averageDurationMs()).isEqualTo(1500L);
    assertThat(stats.definitions().get(1).averageDurationMs()).isNull();
    assertThat(stats.recentFailures().get(0).errorMessage()).isEqualTo("no docs");
  }

  @Test
  void badStatisticsRangesAreInvalidRequests() {
    api.json(
        "GET",
        "/api/workflows/stats",
        400,
        "{\"error\":{\"code\":\"bad_request\",\"message\":\"buckets: must be between 1 and"
            + " 500, got 0\",\"details\":{\"field\":\"buckets\"}}}");
    assertThatThrownBy(() -> client().runStats(null, null, 0))
        .isInstanceOf(FlowClientException.class)
        .hasMessageContaining("buckets");
  }

  @Test
  void cancelsAndRetriesARun() {
    api.json(
            "POST",
            "/api/workflows/" + RUN_ID + "/cancel",
            202,
            "{\"id\":\"" + RUN_ID + "\",\"status\":\"CANCELLED\"}")
        .json(
            "POST",
            "/api/workflows/" + RUN_ID + "/retry",
            202,
            "{\"id\":\"" + RUN_ID + "\",\"status\":\"RUNNING\"}");
    FlowClient client = client();

    assertThat(client.cancelRun(RUN_ID)).isEqualTo(new RunRef(RUN_ID, "CANCELLED", null, false));
    assertThat(api.last().method()).isEqualTo("POST");
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer secret");
    assertThat(client.retryRun(RUN_ID)).isEqualTo(new RunRef(RUN_ID, "RUNNING", null, false));
    assertThat(api.last().path()).isEqualTo("/api/workflows/" + RUN_ID + "/retry");
  }

  @Test
  void cancellingAnEndedRunIsAConflict() {
    api.json(
        "POST",
        "/api/workflows/r/cancel",
        409,
        "{\"error\":{\"code\":\"conflict\",\"message\":\"workflow r has already ended: FAILED\"}}");
    assertThatThrownBy(() -> client().cancelRun("r"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).isEqualTo("workflow r has already ended: FAILED");
            });
  }

  // await

  private FlowClient awaitingClient(FlowClientTest.SleepingClock clock) {
    return FlowClient.builder()
        .baseUrl(api.api())
        .token("secret")
        .clock(clock)
        .sleeper(clock::sleep)
        .build();
  }

  @Test
  void awaitRunPollsWithGrowingPausesAndShowsEachLook() {
    api.json("GET", "/api/workflows/r", 200, run("r", "PENDING"))
        .json("GET", "/api/workflows/r", 200, run("r", "RUNNING"))
        .json("GET", "/api/workflows/r", 200, run("r", "RUNNING"))
        .json("GET", "/api/workflows/r", 200, run("r", "SUCCEEDED"));
    FlowClientTest.SleepingClock clock = new FlowClientTest.SleepingClock();
    List<String> looks = new ArrayList<>();

    Run run =
        awaitingClient(clock).awaitRun("r", Duration.ofMinutes(1), r -> looks.add(r.status()));

    assertThat(run.succeeded()).isTrue();
    assertThat(looks).containsExactly("PENDING", "RUNNING", "RUNNING", "SUCCEEDED");
    assertThat(clock.pauses)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(225));
  }

  @Test
  void awaitRunEndsAtAnyFinalStatus() {
    api.json("GET", "/api/workflows/r", 200, run("r", "TIMED_OUT"));
    FlowClientTest.SleepingClock clock = new FlowClientTest.SleepingClock();
    assertThat(awaitingClient(clock).awaitRun("r", Duration.ZERO).status()).isEqualTo("TIMED_OUT");
    assertThat(clock.pauses).isEmpty();
  }

  @Test
  void awaitRunGivesUpAtTheDeadline() {
    api.json("GET", "/api/workflows/r", 200, run("r", "RUNNING"));
    FlowClientTest.SleepingClock clock = new FlowClientTest.SleepingClock();
    Instant start = clock.instant();
    assertThatThrownBy(() -> awaitingClient(clock).awaitRun("r", Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("timeout");
              assertThat(e.getMessage()).isEqualTo("workflow r is still RUNNING after PT5S");
            });
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(5));
    assertThat(clock.pauses)
        .allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(2)));
  }

  @Test
  void awaitRunRidesOutAnUnavailableServerButNotAnUnknownRun() {
    api.json(
            "GET",
            "/api/workflows/r",
            503,
            "{\"error\":{\"code\":\"unavailable\",\"message\":\"x\"}}")
        .json("GET", "/api/workflows/r", 200, run("r", "FAILED"));
    assertThat(
            awaitingClient(new FlowClientTest.SleepingClock())
                .awaitRun("r", Duration.ofMinutes(1))
                .status())
        .isEqualTo("FAILED");

    FlowClientTest.SleepingClock clock = new FlowClientTest.SleepingClock();
    assertThatThrownBy(() -> awaitingClient(clock).awaitRun("nope", Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(clock.pauses).isEmpty();
  }

  // event history

  @Test
  void readsEventHistoryWithItsFilters() {
    api.json(
        "GET",
        "/api/workflows/" + RUN_ID + "/events",
        200,
        """
        {"items": [
          {"id": 6, "type": "job.failed", "workflowId": "%s", "stepId": "count",
           "jobId": "j-1", "payload": {"error": "boom"}, "at": "2025-01-02T03:04:05.5Z"},
          {"id": 9, "type": "run.failed", "workflowId": "%s", "stepId": null, "jobId": null,
           "payload": {}, "at": "2025-01-02T03:04:06Z"}],
         "last": 9}
        """
            .formatted(RUN_ID, RUN_ID));
    Set<String> types = new LinkedHashSet<>(List.of("job.failed", "run.failed"));

    List<FlowEvent> events = client().events(RUN_ID, types, 5, 100);

    assertThat(api.last().rawQuery())
        .isEqualTo("type=job.failed&type=run.failed&after=5&limit=100");
    assertThat(events).extracting(FlowEvent::id).containsExactly(6L, 9L);
    FlowEvent failed = events.get(0);
    assertThat(failed.type()).isEqualTo("job.failed");
    assertThat(failed.workflowId()).isEqualTo(RUN_ID);
    assertThat(failed.stepId()).isEqualTo("count");
    assertThat(failed.jobId()).isEqualTo("j-1");
    assertThat(failed.payload().path("error").asText()).isEqualTo("boom");
    assertThat(failed.at()).isEqualTo(Instant.parse("2025-01-02T03:04:05.500Z"));
    assertThat(failed.endsRun()).isFalse();
    assertThat(events.get(1).endsRun()).isTrue();
  }

  @Test
  void noEventsIsAnEmptyList() {
    api.json("GET", "/api/workflows/r/events", 200, "{\"items\":[],\"last\":0}");
    assertThat(client().events("r", null, 0, 500)).isEmpty();
    assertThat(api.last().rawQuery()).isEqualTo("after=0&limit=500");
  }

  // state

  static final String STATE = "/api/workflows/" + RUN_ID + "/state";

  @Test
  void readsARunsStateAndOneKey() throws IOException {
    api.json("GET", STATE, 200, "{\"count\":3,\"tags\":[\"a\"],\"empty\":null}")
        .json("GET", STATE + "/count", 200, "{\"key\":\"count\",\"value\":3}")
        .json("GET", STATE + "/nothing", 200, "{\"key\":\"nothing\",\"value\":null}");
    FlowClient client = client();

    Map<String, com.fasterxml.jackson.databind.JsonNode> state = client.state(RUN_ID);

    assertThat(state.keySet()).containsExactly("count", "tags", "empty");
    assertThat(state.get("tags")).isEqualTo(mapper.readTree("[\"a\"]"));
    assertThat(state.get("empty").isNull()).isTrue();
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer secret");
    assertThat(client.state(RUN_ID, "count")).hasValue(mapper.readTree("3"));
    assertThat(client.state(RUN_ID, "nothing"))
        .hasValueSatisfying(value -> assertThat(value.isNull()).isTrue());
    assertThat(client.state(RUN_ID, "a/b c")).isEmpty();
    assertThat(api.last().path()).isEqualTo(STATE + "/a%2Fb%20c");
    assertThatThrownBy(() -> client.state(RUN_ID, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decimalStateValuesStayExact() {
    api.json("GET", STATE, 200, "{\"ratio\":0.10,\"big\":12345678901234567890.5}");
    Map<String, com.fasterxml.jackson.databind.JsonNode> state = client().state(RUN_ID);
    assertThat(state.get("big").decimalValue())
        .isEqualByComparingTo(new java.math.BigDecimal("12345678901234567890.5"));
    assertThat(state.get("ratio").decimalValue()).isEqualByComparingTo("0.1");
  }

  @Test
  void readsTheStateAtAnInstant() {
    api.json("GET", STATE, 200, "{\"count\":1}");
    Instant at = Instant.parse("2026-11-27T10:15:30Z");
    assertThat(client().stateAt(RUN_ID, at)).containsOnlyKeys("count");
    assertThat(api.last().query("at")).containsExactly("2026-11-27T10:15:30Z");
  }

  @Test
  void stateErrorsAndOddAnswersAreFlowClientExceptions() {
    api.json(
            "GET",
            "/api/workflows/nope/state",
            404,
            "{\"error\":{\"code\":\"not_found\"," + "\"message\":\"workflow nope not found\"}}")
        .json("GET", STATE, 200, "[1, 2]");
    FlowClient client = client();
    assertThatThrownBy(() -> client.state("nope"))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).isEqualTo("workflow nope not found");
            });
    assertThatThrownBy(() -> client.state(RUN_ID))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.code()).isEqualTo("bad_response"));
    api.json("GET", STATE + "/k", 403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}");
    assertThatThrownBy(() -> client.state(RUN_ID, "k"))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void readsAPageOfStateHistory() throws IOException {
    api.json(
        "GET",
        STATE + "/history",
        200,
        """
        {"items": [
           {"id": 41, "key": "count", "op": "INCREMENT", "value": null, "delta": 2.5,
            "jobId": "%s", "at": "2026-11-27T10:15:30.123Z", "somethingNew": 1},
           {"id": 42, "key": "tags", "op": "ADD_TO_SET", "value": {"name": "a"},
            "delta": null, "jobId": null, "at": "2026-11-27T10:15:31Z"}],
         "total": 7, "page": 1, "size": 2}
        """
            .formatted(CHILD_ID));

    Page<StateChange> page =
        client()
            .stateHistory(
                RUN_ID,
                "count",
                Instant.parse("2026-11-27T10:00:00Z"),
                Instant.parse("2026-11-27T11:00:00Z"),
                1,
                2);

    assertThat(api.last().rawQuery())
        .isEqualTo(
            "key=count&from=2026-11-27T10%3A00%3A00Z&to=2026-11-27T11%3A00%3A00Z&page=1&size=2");
    assertThat(page.total()).isEqualTo(7);
    assertThat(page.hasNext()).isTrue();
    StateChange increment = page.items().get(0);
    assertThat(increment)
        .isEqualTo(
            new StateChange(
                41,
                "count",
                StateChange.INCREMENT,
                NullNode.getInstance(),
                new java.math.BigDecimal("2.5"),
                java.util.UUID.fromString(CHILD_ID),
                Instant.parse("2026-11-27T10:15:30.123Z")));
    assertThat(new StateChange(1, "k", StateChange.DELETE, null, null, null, null).value())
        .isEqualTo(NullNode.getInstance());
    StateChange added = page.items().get(1);
    assertThat(added.op()).isIn(StateChange.OPS);
    assertThat(added.value()).isEqualTo(mapper.readTree("{\"name\":\"a\"}"));
    assertThat(added.delta()).isNull();
    assertThat(added.jobId()).isNull();

    client().stateHistory(RUN_ID, null, null, null, 0, 50);
    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=50");
  }

  @Test
  void exportsTheStateToAFileThatItReplacesWhole(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    String export =
        "{\"workflowId\":\""
            + RUN_ID
            + "\",\"exportedAt\":\"2026-11-27T10:15:30Z\","
            + "\"state\":{\"count\":3},\"history\":[]}";
    api.json("GET", STATE + "/export", 200, export);
    Path file = dir.resolve("export.json");
    Files.writeString(file, "an older, longer export that must be replaced entirely");

    long written = client().exportState(RUN_ID, file);

    assertThat(Files.readString(file)).isEqualTo(export);
    assertThat(written).isEqualTo(export.getBytes(StandardCharsets.UTF_8).length);
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer secret");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aFailedExportLeavesTheFileAlone(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    api.json(
            "GET",
            STATE + "/export",
            404,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"workflow not found\"}}")
        .json("GET", STATE + "/export", 200, "{}");
    Path file = dir.resolve("export.json");
    Files.writeString(file, "before");
    FlowClient client = client();

    assertThatThrownBy(() -> client.exportState(RUN_ID, file))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).isEqualTo("workflow not found");
            });
    assertThat(Files.readString(file)).isEqualTo("before");

    assertThatThrownBy(() -> client.exportState(RUN_ID, dir.resolve("missing/export.json")))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.code()).isEqualTo("export_failed"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void anExportFromAServerThatIsDownIsUnreachable() throws IOException {
    FlowClient client = client();
    api.close();
    assertThatThrownBy(() -> client.exportState(RUN_ID, Path.of("never.json")))
        .isInstanceOfSatisfying(
            FlowClientException.class, e -> assertThat(e.code()).isEqualTo("unreachable"));
    assertThat(Path.of("never.json")).doesNotExist();
  }

  @Test
  void operatorsPutAndIncrementState() throws IOException {
    api.json("PUT", STATE + "/config", 200, "{\"key\":\"config\",\"value\":{\"a\":1}}")
        .json("POST", STATE + "/count/increment", 200, "{\"value\":5}");
    FlowClient client = client();

    assertThat(client.putState(RUN_ID, "config", Map.of("a", 1)))
        .isEqualTo(mapper.readTree("{\"a\":1}"));
    FakeApi.Request put = api.last();
    assertThat(put.method()).isEqualTo("PUT");
    assertThat(put.header("Content-Type")).isEqualTo("application/json");
    assertThat(put.body()).isEqualTo("{\"value\":{\"a\":1}}");
    client.putState(RUN_ID, "config", null);
    assertThat(api.last().body()).isEqualTo("{\"value\":null}");
    client.putState(RUN_ID, "config", mapper.readTree("[true]"));
    assertThat(api.last().body()).isEqualTo("{\"value\":[true]}");

    assertThat(client.incrementState(RUN_ID, "count", 2).asLong()).isEqualTo(5);
    assertThat(api.last().body()).isEqualTo("{\"by\":2}");
    assertThat(api.last().header("Idempotency-Key")).isNull();
    client.incrementState(RUN_ID, "count", new java.math.BigDecimal("0.5"), "fix-2026-11-27");
    assertThat(api.last().body()).isEqualTo("{\"by\":0.5}");
    assertThat(api.last().header("Idempotency-Key")).isEqualTo("fix-2026-11-27");
  }

  @Test
  void anIncrementOfSomethingElseThanANumberIsAConflict() {
    api.json(
        "POST",
        STATE + "/name/increment",
        409,
        "{\"error\":{\"code\":\"state_type_mismatch\",\"message\":\"name: holds a string\"}}");
    assertThatThrownBy(() -> client().incrementState(RUN_ID, "name", 1))
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("state_type_mismatch");
              assertThat(e.getMessage()).isEqualTo("name: holds a string");
            });
  }
}
