package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code agentainer workflow list|status|cancel|retry|events} against a stand-in API. A follow that
 * never stops fails on the time limit instead of hanging the build.
 */
@Timeout(30)
class WorkflowCommandsTest {

  static final String RUN = RunCommandsTest.RUN;
  static final String OTHER = "0b1c2d3e-0000-4000-8000-000000000001";
  static final String PARENT = "77777777-0000-4000-8000-000000000002";
  static final String JOB = "abcdef01-0000-4000-8000-000000000003";
  static final String EVENTS = "/api/workflows/" + RUN + "/events";
  static final String STREAM = EVENTS + "/stream";

  static final String ROWS =
      """
      {"items": [
        {"id": "%s", "definition": "wordcount", "version": 3, "status": "RUNNING",
         "trigger": "api", "createdAt": "2025-01-02T03:09:55Z",
         "startedAt": "2025-01-02T03:09:56Z"},
        {"id": "%s", "definition": "etl", "version": 12, "status": "FAILED", "trigger": "child",
         "error": {"type": "x", "message": "y"}, "parentRunId": "%s",
         "createdAt": "2025-01-02T01:10:00Z", "startedAt": "2025-01-02T01:10:00Z",
         "finishedAt": "2025-01-02T01:13:12Z"}],
       "total": 120, "page": 0, "size": 50}
      """
          .formatted(RUN, OTHER, PARENT);

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

  // list

  @Test
  void listShowsRunsNewestFirstWithAPageFooter() {
    api.json("GET", "/api/workflows", 200, ROWS);

    assertThat(cli.run("workflow", "list")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            RUN       DEFINITION  VERSION  STATUS   TRIGGER  AGE  TOOK
            9a8b7c6d  wordcount   3        RUNNING  api      5s   -
            0b1c2d3e  etl         12       FAILED   child    2h   3m12s
            page 1 of 3 (120 runs)
            """);
    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=50");
  }

  @Test
  void listSendsEveryFilter() {
    api.json("GET", "/api/workflows", 200, ROWS);

    assertThat(
            cli.run(
                "workflow",
                "list",
                "--definition",
                "wordcount",
                "--status",
                "failed,timed_out",
                "--status",
                "CANCELLED",
                "--page",
                "2",
                "--size",
                "10",
                "--wide"))
        .isZero();

    assertThat(api.last().rawQuery())
        .isEqualTo(
            "definition=wordcount&status=FAILED&status=TIMED_OUT&status=CANCELLED&page=1&size=10");
    assertThat(cli.out()).contains(RUN + "  wordcount");
  }

  @Test
  void anUnknownStatusNamesTheOption() {
    assertThat(cli.run("workflow", "list", "--status", "DONE")).isEqualTo(2);
    assertThat(cli.err()).contains("--status").contains("DONE").contains("TIMED_OUT");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void noRunsSaysSo() {
    api.json("GET", "/api/workflows", 200, "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}");
    assertThat(cli.run("workflow", "list")).isZero();
    assertThat(cli.out()).isEqualTo("no runs\n");
  }

  @Test
  void listAsJsonIsThePage() throws IOException {
    api.json("GET", "/api/workflows", 200, ROWS);
    assertThat(cli.run("workflow", "list", "-o", "json")).isZero();
    JsonNode page = mapper.readTree(cli.out());
    assertThat(page.get("total").asInt()).isEqualTo(120);
    assertThat(page.get("items").get(1).get("parentRunId").asText()).isEqualTo(PARENT);
    assertThat(page.get("items").get(0).has("steps")).isFalse();
  }

  // status

  static final String DETAIL =
      """
      {"id": "%s", "definition": "wordcount", "version": 3, "status": "RUNNING",
       "input": {"docs": ["a b"]}, "output": null, "error": null, "progress": 0.35,
       "eta": "2025-01-02T03:13:12Z", "queuePosition": 2, "parentRunId": "%s",
       "parentStep": "fanout", "trigger": "child", "createdAt": "2025-01-02T03:09:00Z",
       "startedAt": "2025-01-02T03:09:01Z", "finishedAt": null,
       "steps": [
         {"name": "split", "kind": "task", "status": "SUCCEEDED", "total": 1, "succeeded": 1,
          "failed": 0, "running": 0, "attempt": 1},
         {"name": "count", "kind": "map", "status": "RUNNING", "total": 120, "succeeded": 40,
          "failed": 2, "running": 8, "attempt": 1},
         {"name": "total", "kind": "reduce", "status": "PENDING", "total": 0, "succeeded": 0,
          "failed": 0, "running": 0, "attempt": 0}]}
      """
          .formatted(RUN, PARENT);

  @Test
  void statusShowsTheRunAndAStepsTable() {
    api.json("GET", "/api/workflows/" + RUN, 200, DETAIL);

    assertThat(cli.run("workflow", "status", RUN)).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            ID          %s
            DEFINITION  wordcount (version 3)
            STATUS      RUNNING
            PROGRESS    35%% (eta 3m12s)
            QUEUE       2 jobs ahead
            PARENT      %s (step fanout)
            TRIGGER     child
            CREATED     2025-01-02T03:09:00Z (1m ago)
            STARTED     2025-01-02T03:09:01Z
            FINISHED    -
            INPUT       {"docs":["a b"]}

            NAME   KIND    STATUS     TOTAL  OK  FAILED  RUNNING
            split  task    SUCCEEDED  1      1   0       0
            count  map     RUNNING    120    40  2       8
            total  reduce  PENDING    0      0   0       0
            """
                .formatted(RUN, PARENT));
  }

  @Test
  void statusAsJsonIsTheRun() throws IOException {
    api.json("GET", "/api/workflows/" + RUN, 200, DETAIL);
    assertThat(cli.run("workflow", "status", RUN, "-o", "json")).isZero();
    JsonNode run = mapper.readTree(cli.out());
    assertThat(run.get("progress").asDouble()).isEqualTo(0.35);
    assertThat(run.get("steps")).hasSize(3);
    assertThat(run.get("steps").get(1).get("running").asInt()).isEqualTo(8);
  }

  @Test
  void statusOfAnUnknownRunIsAServerError() {
    api.json(
        "GET",
        "/api/workflows/nope",
        400,
        "{\"error\":{\"code\":\"invalid_request\",\"message\":\"id: not a workflow id (a UUID): 'nope'\"}}");
    assertThat(cli.run("workflow", "status", "nope")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: id: not a workflow id (a UUID): 'nope'\n");
    assertThat(cli.run("workflow", "status")).isEqualTo(2);
  }

  // cancel and retry

  @Test
  void cancelAndRetrySayWhereTheRunIs() throws IOException {
    api.json(
            "POST",
            "/api/workflows/" + RUN + "/cancel",
            202,
            "{\"id\":\"" + RUN + "\",\"status\":\"CANCELLED\"}")
        .json(
            "POST",
            "/api/workflows/" + RUN + "/retry",
            202,
            "{\"id\":\"" + RUN + "\",\"status\":\"RUNNING\"}");

    assertThat(cli.run("workflow", "cancel", RUN)).isZero();
    assertThat(api.last().path()).isEqualTo("/api/workflows/" + RUN + "/cancel");
    assertThat(cli.run("workflow", "retry", RUN)).isZero();
    assertThat(api.last().path()).isEqualTo("/api/workflows/" + RUN + "/retry");
    assertThat(cli.out()).isEqualTo("run " + RUN + " is CANCELLED\nrun " + RUN + " is RUNNING\n");

    assertThat(cli.run("workflow", "retry", RUN, "-o", "json")).isZero();
    assertThat(mapper.readTree(cli.out().substring(cli.out().indexOf('{'))).get("status").asText())
        .isEqualTo("RUNNING");
  }

  @Test
  void cancellingAnEndedRunIsAServerError() {
    api.json(
        "POST",
        "/api/workflows/" + RUN + "/cancel",
        409,
        "{\"error\":{\"code\":\"conflict\",\"message\":\"workflow "
            + RUN
            + " has already ended: SUCCEEDED\"}}");
    assertThat(cli.run("workflow", "cancel", RUN)).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo("agentainer: workflow " + RUN + " has already ended: SUCCEEDED\n");
  }

  // events

  static String event(long id, String type, String step, String job, String payload) {
    return """
        {"id": %d, "type": "%s", "workflowId": "%s", "stepId": %s, "jobId": %s,
         "payload": %s, "at": "2025-01-02T03:09:%02d.250Z"}"""
        .formatted(
            id,
            type,
            RUN,
            step == null ? "null" : "\"" + step + "\"",
            job == null ? "null" : "\"" + job + "\"",
            payload,
            id);
  }

  static String sse(long id, String type, String step, String job, String payload) {
    return "id: "
        + id
        + "\nevent: "
        + type
        + "\ndata: "
        + event(id, type, step, job, payload).replace("\n", "")
        + "\n\n";
  }

  @Test
  void eventsShowsTheHistoryAsATable() {
    api.json(
        "GET",
        EVENTS,
        200,
        "{\"items\":["
            + event(1, "run.started", null, null, "{\"status\":\"RUNNING\"}")
            + ","
            + event(2, "job.queued", "count", JOB, "{\"taskId\":0}")
            + ","
            + event(3, "step.progress", "count", null, "{}")
            + "],\"last\":3}");

    assertThat(cli.run("workflow", "events", RUN)).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            ID  AT                        TYPE           STEP   JOB       PAYLOAD
            1   2025-01-02T03:09:01.250Z  run.started    -      -         {"status":"RUNNING"}
            2   2025-01-02T03:09:02.250Z  job.queued     count  abcdef01  {"taskId":0}
            3   2025-01-02T03:09:03.250Z  step.progress  count  -         -
            """);
    assertThat(api.last().rawQuery()).isEqualTo("after=0&limit=500");
  }

  @Test
  void eventsSendsTypesAfterAndLimitAndSaysWhereMoreAre() {
    api.json(
        "GET",
        EVENTS,
        200,
        "{\"items\":["
            + event(6, "job.failed", "count", JOB, "{}")
            + ","
            + event(9, "job.failed", "count", JOB, "{}")
            + "],\"last\":9}");

    assertThat(
            cli.run(
                "workflow",
                "events",
                RUN,
                "--type",
                "job.failed,job.retrying",
                "--after",
                "5",
                "--limit",
                "2"))
        .isZero();

    assertThat(api.last().rawQuery())
        .isEqualTo("type=job.failed&type=job.retrying&after=5&limit=2");
    assertThat(cli.out()).endsWith("first 2 events shown; the next ones with --after 9\n");
  }

  @Test
  void eventsAsJsonHasItemsAndTheLastId() throws IOException {
    api.json(
        "GET",
        EVENTS,
        200,
        "{\"items\":[" + event(4, "run.started", null, null, "{}") + "],\"last\":4}");
    assertThat(cli.run("workflow", "events", RUN, "-o", "json")).isZero();
    JsonNode answer = mapper.readTree(cli.out());
    assertThat(answer.get("last").asLong()).isEqualTo(4);
    assertThat(answer.get("items").get(0).get("type").asText()).isEqualTo("run.started");
    assertThat(answer.get("items").get(0).get("at").asText()).isEqualTo("2025-01-02T03:09:04.250Z");
  }

  @Test
  void noEventsSaysSo() {
    api.json("GET", EVENTS, 200, "{\"items\":[],\"last\":0}");
    assertThat(cli.run("workflow", "events", RUN)).isZero();
    assertThat(cli.out()).isEqualTo("no events\n");
  }

  @Test
  void badEventOptionsAreUsageErrorsNamingThem() {
    assertThat(cli.run("workflow", "events", RUN, "--type", "Job Failed")).isEqualTo(2);
    assertThat(cli.err()).contains("--type").contains("'Job Failed' is not an event type");
    assertThat(cli.run("workflow", "events", RUN, "--after", "-1")).isEqualTo(2);
    assertThat(cli.err()).contains("--after");
    assertThat(cli.run("workflow", "events", RUN, "--limit", "5001")).isEqualTo(2);
    assertThat(cli.err()).contains("--limit");
    assertThat(cli.run("workflow", "events", RUN, "--follow", "--limit", "5")).isEqualTo(2);
    assertThat(cli.err()).contains("Option '--limit' cannot be used with '--follow'");
    assertThat(api.requests()).isEmpty();
  }

  // events --follow

  private java.util.List<FakeApi.Request> streams() {
    return api.requests().stream().filter(r -> r.path().equals(STREAM)).toList();
  }

  @Test
  void followStreamsUntilTheRunEnds() {
    api.streamThenHold(
            STREAM,
            sse(1, "run.started", null, null, "{}")
                + sse(2, "job.succeeded", "count", JOB, "{\"taskId\":0}")
                + sse(3, "run.succeeded", null, null, "{}"))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("SUCCEEDED", 1.0, ""));

    assertThat(cli.run("workflow", "events", RUN, "--follow")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            ID      AT                        TYPE            STEP          JOB       PAYLOAD
            1       2025-01-02T03:09:01.250Z  run.started     -             -         -
            2       2025-01-02T03:09:02.250Z  job.succeeded   count         abcdef01  {"taskId":0}
            3       2025-01-02T03:09:03.250Z  run.succeeded   -             -         -
            """);
    FakeApi.Request stream = streams().get(0);
    assertThat(stream.header("Accept")).isEqualTo("text/event-stream");
    assertThat(stream.header("Authorization")).isEqualTo("Bearer t0k3n");
  }

  @Test
  void followReconnectsAfterADropFromTheLastEvent() {
    api.streamThenClose(STREAM, sse(1, "run.started", null, null, "{}"))
        .streamThenHold(STREAM, sse(2, "run.failed", null, null, "{}"))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("FAILED", 0.5, ""));

    assertThat(cli.run("workflow", "events", RUN, "--follow", "--after", "0")).isZero();

    assertThat(cli.out()).contains("\n1  ").contains("\n2  ").contains("run.failed");
    assertThat(streams()).hasSize(2);
    assertThat(streams().get(0).header("Last-Event-ID")).isNull();
    assertThat(streams().get(1).header("Last-Event-ID")).isEqualTo("1");
  }

  @Test
  void followGoesOnWhenTheRunWasRetriedAfterAnEnd() {
    api.streamThenHold(
            STREAM,
            sse(1, "run.failed", null, null, "{}")
                + sse(2, "run.retried", null, null, "{}")
                + sse(3, "run.succeeded", null, null, "{}"))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("RUNNING", 0.5, ""))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("RUNNING", 0.5, ""))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("SUCCEEDED", 1.0, ""));

    assertThat(cli.run("workflow", "events", RUN, "--follow")).isZero();

    assertThat(cli.out()).contains("run.failed").contains("run.retried").contains("run.succeeded");
    // a look before following; the first end was looked at and found retried; the second one
    // ended the follow
    assertThat(api.requests()).filteredOn(r -> r.path().equals("/api/workflows/" + RUN)).hasSize(3);
  }

  @Test
  void followWithTypesAsksForRunEndsButShowsOnlyTheTypesAsked() {
    api.streamThenHold(
            STREAM,
            sse(4, "job.failed", "count", JOB, "{\"error\":\"boom\"}")
                + sse(5, "run.failed", null, null, "{}"))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("FAILED", 0.5, ""));

    assertThat(
            cli.run("workflow", "events", RUN, "--follow", "--type", "job.failed", "--after", "3"))
        .isZero();

    assertThat(cli.out()).contains("job.failed").doesNotContain("run.failed");
    FakeApi.Request stream = streams().get(0);
    assertThat(stream.query("type"))
        .startsWith("job.failed")
        .contains("run.succeeded", "run.failed", "run.cancelled", "run.timed_out");
    assertThat(stream.header("Last-Event-ID")).isEqualTo("3");
  }

  @Test
  void followAsJsonPrintsOneEventALine() throws IOException {
    api.streamThenHold(
            STREAM,
            sse(1, "run.started", null, null, "{}") + sse(2, "run.cancelled", null, null, "{}"))
        .json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("CANCELLED", 0.5, ""));

    assertThat(cli.run("workflow", "events", RUN, "--follow", "-o", "json")).isZero();

    String[] lines = cli.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(mapper.readTree(lines[1]).get("type").asText()).isEqualTo("run.cancelled");
    assertThat(mapper.readTree(lines[0]).get("workflowId").asText()).isEqualTo(RUN);
  }

  @Test
  void followingAnUnknownRunIsAServerErrorBeforeAnyStream() {
    api.json(
        "GET",
        "/api/workflows/" + RUN,
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"workflow " + RUN + " not found\"}}");
    assertThat(cli.run("workflow", "events", RUN, "--follow")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: workflow " + RUN + " not found\n");
    assertThat(cli.out()).isEmpty();
    assertThat(api.requests()).extracting(FakeApi.Request::path).doesNotContain(STREAM);
  }

  @Test
  void aStreamRefusedAfterTheLookIsAServerError() {
    api.json("GET", "/api/workflows/" + RUN, 200, RunCommandsTest.run("RUNNING", 0.5, ""))
        .json(
            "GET",
            STREAM,
            403,
            "{\"error\":{\"code\":\"forbidden\",\"message\":\"Authorization: not valid\"}}");
    assertThat(cli.run("workflow", "events", RUN, "--follow")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: Authorization: not valid\n");
  }

  @Test
  void followingWhenTheServerCannotBeReachedFailsAtOnce() {
    assertThat(
            Agentainer.run(
                new String[] {
                  "workflow", "events", RUN, "--follow", "--api", "http://127.0.0.1:1/api"
                },
                new java.io.PrintWriter(cli.out, true),
                new java.io.PrintWriter(cli.err, true)))
        .isEqualTo(1);
    assertThat(cli.err()).startsWith("agentainer: cannot reach http://127.0.0.1:1/api/workflows/");
  }
}
