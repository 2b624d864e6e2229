package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job commands against a stand-in API on loopback, with a fixed clock for ages. */
class JobCommandsTest {

  static final Instant NOW = Instant.parse("2025-01-02T03:10:00Z");
  static final String WF = "9a8b7c6d-1111-2222-3333-444455556666";
  static final String JOB_A = "5f0c2a4e-8d7b-4c1e-9a3f-0b6d2e1c4a77";
  static final String JOB_B = "0b1c2d3e-0000-4000-8000-000000000001";
  static final String JOB_C = "77777777-0000-4000-8000-000000000002";
  static final String JOB_D = "abcdef01-0000-4000-8000-000000000003";

  static final String RUNNING_A =
      """
      {"id": "%s", "workflowId": "%s", "stepId": "count", "taskId": 12, "status": "RUNNING",
       "attempt": 1, "image": "agentainer/example-agent:latest", "handler": "wordcount",
       "queuedAt": "2025-01-02T03:09:55Z"}"""
          .formatted(JOB_A, WF);
  static final String QUEUED_B =
      """
      {"id": "%s", "status": "QUEUED", "attempt": 1, "image": "busybox", "handler": "echo",
       "queuedAt": "2025-01-02T03:07:00Z"}"""
          .formatted(JOB_B);
  static final String SUCCEEDED_C =
      """
      {"id": "%s", "workflowId": "%s", "stepId": "total", "taskId": 0, "status": "SUCCEEDED",
       "attempt": 1, "image": "agentainer/example-agent:latest", "handler": "sum",
       "queuedAt": "2025-01-02T01:10:00Z", "output": {"total": 3}}"""
          .formatted(JOB_C, WF);
  static final String CANCELLED_D =
      """
      {"id": "%s", "status": "CANCELLED", "attempt": 1, "image": "busybox",
       "queuedAt": "2024-12-29T03:10:00Z"}"""
          .formatted(JOB_D);

  static final String FAILED_JOB =
      """
      {"id": "%s", "workflowId": "%s", "stepId": "count", "taskId": 3, "parentJobId": "p-1",
       "status": "FAILED", "attempt": 2, "maxAttempts": 3, "executionMode": "pooled",
       "runtime": "process", "image": "agentainer/example-agent:latest",
       "handler": "wordcount", "input": {"item": "a b", "index": 3}, "output": null,
       "error": {"type": "IllegalStateException", "message": "boom", "retryable": true},
       "agentId": "agent-7", "queuedAt": "2025-01-02T03:04:05Z",
       "startedAt": "2025-01-02T03:04:06.250Z", "finishedAt": "2025-01-02T03:04:07Z",
       "agentAcquireMs": 12, "somethingNew": true}"""
          .formatted(JOB_A, WF);

  static final String EMPTY_PAGE = "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}";

  private final ObjectMapper mapper = new ObjectMapper();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private FakeApi api;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--api=" + api.api());
    all.add("--token=t0k3n");
    return Agentainer.run(
        all.toArray(String[]::new),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        Clock.fixed(NOW, ZoneOffset.UTC));
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

  // list

  @Test
  void listPrintsAnAlignedTableWithAgesAndAFooter() {
    api.json(
        "GET", "/api/jobs", 200, page(250, 0, 100, RUNNING_A, QUEUED_B, SUCCEEDED_C, CANCELLED_D));

    assertThat(run("list")).isZero();

    assertThat(out.toString())
        .isEqualTo(
            """
            JOB       WORKFLOW  STEP   TASK  STATUS     IMAGE                            HANDLER    AGE
            5f0c2a4e  9a8b7c6d  count  12    RUNNING    agentainer/example-agent:latest  wordcount  5s
            0b1c2d3e  -         -      -     QUEUED     busybox                          echo       3m
            77777777  9a8b7c6d  total  0     SUCCEEDED  agentainer/example-agent:latest  sum        2h
            abcdef01  -         -      -     CANCELLED  busybox                          -          4d
            page 1 of 3 (250 jobs)
            """);
    assertThat(err.toString()).isEmpty();
    assertThat(api.last().method()).isEqualTo("GET");
    assertThat(api.last().rawQuery()).isNull();
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer t0k3n");
  }

  @Test
  void listSendsEveryFilterAndCountsPagesFromOne() {
    api.json("GET", "/api/jobs", 200, page(12, 1, 10, QUEUED_B));

    assertThat(
            run(
                "list",
                "--workflow",
                WF,
                "--status",
                "queued",
                "--status",
                "RUNNING",
                "--page",
                "2",
                "--size",
                "10"))
        .isZero();

    assertThat(api.last().rawQuery())
        .isEqualTo("workflowId=" + WF + "&status=QUEUED&status=RUNNING&page=1&size=10");
    assertThat(out.toString()).endsWith("page 2 of 2 (12 jobs)\n");
  }

  @Test
  void statusesMayBeCommaSeparated() {
    api.json("GET", "/api/jobs", 200, EMPTY_PAGE);
    assertThat(run("list", "--status", "FAILED,cancelled")).isZero();
    assertThat(api.last().query("status")).containsExactly("FAILED", "CANCELLED");
  }

  @Test
  void anUnknownStatusIsAUsageErrorNamingStatus() {
    assertThat(run("list", "--status", "DONE")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--status")
        .contains("DONE")
        .contains("QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED")
        .doesNotContain("Exception");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void pagesCountFromOne() {
    assertThat(run("list", "--page", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--page").contains("from 1");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void aPageSizeOutOfRangeNamesSize() {
    assertThat(run("list", "--size", "501")).isEqualTo(2);
    assertThat(err.toString()).contains("--size").contains("500");
    assertThat(run("list", "--size", "ten")).isEqualTo(2);
    assertThat(err.toString()).contains("'ten' is not a whole number");
  }

  @Test
  void anEmptyListSaysSo() {
    api.json("GET", "/api/jobs", 200, EMPTY_PAGE);
    assertThat(run("list")).isZero();
    assertThat(out.toString()).isEqualTo("no jobs\n");
  }

  @Test
  void aPagePastTheEndSaysSoWithTheFooter() {
    api.json("GET", "/api/jobs", 200, page(3, 4, 50));
    assertThat(run("list", "--page", "5", "--size", "50")).isZero();
    assertThat(out.toString()).isEqualTo("no jobs on page 5\npage 5 of 1 (3 jobs)\n");
  }

  @Test
  void wideShowsWholeIds() {
    api.json("GET", "/api/jobs", 200, page(1, 0, 50, RUNNING_A));
    assertThat(run("list", "--wide")).isZero();
    assertThat(out.toString()).contains(JOB_A + "  " + WF + "  count").endsWith("(1 job)\n");
  }

  @Test
  void listAsJsonIsThePageTheApiSent() throws IOException {
    api.json("GET", "/api/jobs", 200, page(2, 0, 50, RUNNING_A, QUEUED_B));

    assertThat(run("list", "-o", "json")).isZero();

    JsonNode json = mapper.readTree(out.toString());
    assertThat(json.get("total").asLong()).isEqualTo(2);
    assertThat(json.get("page").asInt()).isZero();
    assertThat(json.get("size").asInt()).isEqualTo(50);
    assertThat(json.get("items")).hasSize(2);
    assertThat(json.get("items").get(0)).isEqualTo(mapper.readTree(RUNNING_A));
    assertThat(json.get("items").get(1)).isEqualTo(mapper.readTree(QUEUED_B));
    assertThat(out.toString()).contains("\n  \"items\"");
  }

  @Test
  void aServerErrorIsOneLineAndExitCodeOne() {
    api.json(
        "GET",
        "/api/jobs",
        401,
        "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Authorization: token not valid\"}}");
    assertThat(run("list")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("agentainer: Authorization: token not valid\n");
    assertThat(out.toString()).isEmpty();
  }

  // workflow jobs

  @Test
  void workflowJobsKeepsTheServersOrder() {
    api.json("GET", "/api/workflows/" + WF + "/jobs", 200, page(2, 0, 50, SUCCEEDED_C, RUNNING_A));

    assertThat(run("workflow", "jobs", WF)).isZero();

    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=50");
    assertThat(out.toString())
        .isEqualTo(
            """
            JOB       WORKFLOW  STEP   TASK  STATUS     IMAGE                            HANDLER    AGE
            77777777  9a8b7c6d  total  0     SUCCEEDED  agentainer/example-agent:latest  sum        2h
            5f0c2a4e  9a8b7c6d  count  12    RUNNING    agentainer/example-agent:latest  wordcount  5s
            page 1 of 1 (2 jobs)
            """);
  }

  @Test
  void workflowJobsSendsStatusAndPage() {
    api.json("GET", "/api/workflows/" + WF + "/jobs", 200, page(11, 2, 5, RUNNING_A));
    assertThat(run("workflow", "jobs", WF, "--status", "FAILED", "--page", "3", "--size", "5"))
        .isZero();
    assertThat(api.last().rawQuery()).isEqualTo("status=FAILED&page=2&size=5");
    assertThat(out.toString()).endsWith("page 3 of 3 (11 jobs)\n");
  }

  @Test
  void workflowJobsAsJson() throws IOException {
    api.json("GET", "/api/workflows/" + WF + "/jobs", 200, page(1, 0, 50, SUCCEEDED_C));
    assertThat(run("workflow", "jobs", WF, "--output", "json")).isZero();
    assertThat(mapper.readTree(out.toString()).get("items").get(0))
        .isEqualTo(mapper.readTree(SUCCEEDED_C));
  }

  @Test
  void workflowJobsNeedsTheWorkflowId() {
    assertThat(run("workflow", "jobs")).isEqualTo(2);
    assertThat(err.toString()).contains("WORKFLOW_ID");
  }

  @Test
  void anUnknownWorkflowIsAServerError() {
    api.json(
        "GET",
        "/api/workflows/nope/jobs",
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no workflow nope\"}}");
    assertThat(run("workflow", "jobs", "nope")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("agentainer: no workflow nope\n");
  }

  // job submit

  @Test
  void submitSendsEveryOptionAndPrintsTheId() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"" + JOB_A + "\",\"status\":\"QUEUED\"}");

    int code =
        run(
            "job",
            "submit",
            "--image",
            "agentainer/example-agent:latest",
            "--handler",
            "echo",
            "--input",
            "{\"text\": \"hello\"}",
            "--mode",
            "pooled",
            "--runtime",
            "process",
            "--env",
            "A=1",
            "--env",
            "B=x=y",
            "--timeout",
            "90s");

    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo(JOB_A + "\n");
    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/jobs");
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(mapper.readTree(seen.body()))
        .isEqualTo(
            mapper.readTree(
                """
                {"agent": {"image": "agentainer/example-agent:latest", "handler": "echo",
                           "runtime": "process", "env": {"A": "1", "B": "x=y"}},
                 "input": {"text": "hello"}, "executionMode": "pooled", "timeout": "PT1M30S"}
                """));
  }

  @Test
  void submitWithOnlyAnImageSendsOnlyTheImage() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"j1\",\"status\":\"QUEUED\"}");
    assertThat(run("job", "submit", "--image", "busybox")).isZero();
    assertThat(mapper.readTree(api.last().body()))
        .isEqualTo(mapper.readTree("{\"agent\":{\"image\":\"busybox\"}}"));
  }

  @Test
  void submitReadsTheInputFromAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("input.json");
    Files.writeString(file, "{\"docs\": [\"a b\", \"c\"]}\n");
    api.json("POST", "/api/jobs", 202, "{\"id\":\"j1\",\"status\":\"QUEUED\"}");

    assertThat(run("job", "submit", "--image", "busybox", "--input", "@" + file)).isZero();

    assertThat(mapper.readTree(api.last().body()).get("input"))
        .isEqualTo(mapper.readTree("{\"docs\": [\"a b\", \"c\"]}"));
  }

  @Test
  void badJsonInInputIsAUsageErrorNamingInput() {
    assertThat(run("job", "submit", "--image", "busybox", "--input", "{\"text\": hello}"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--input")
        .contains("not valid JSON")
        .contains("line 1")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void trailingTextAfterTheJsonIsRefused() {
    assertThat(run("job", "submit", "--image", "busybox", "--input", "{} {}")).isEqualTo(2);
    assertThat(err.toString()).contains("--input");
  }

  @Test
  void aMissingInputFileNamesInput(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    assertThat(run("job", "submit", "--image", "busybox", "--input", "@" + missing)).isEqualTo(2);
    assertThat(err.toString()).contains("--input").contains("no file " + missing);
  }

  @Test
  void badJsonInAFileNamesTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"a\": [1,\n}");
    assertThat(run("job", "submit", "--image", "busybox", "--input", "@" + file)).isEqualTo(2);
    assertThat(err.toString()).contains("--input").contains("not valid JSON in " + file);
  }

  @Test
  void submitNeedsAnImage() {
    assertThat(run("job", "submit", "--handler", "echo")).isEqualTo(2);
    assertThat(err.toString()).contains("--image");
    assertThat(run("job", "submit", "--image", " ")).isEqualTo(2);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void badModeRuntimeEnvAndTimeoutNameTheirOption() {
    assertThat(run("job", "submit", "--image", "i", "--mode", "warm")).isEqualTo(2);
    assertThat(err.toString()).contains("--mode").contains("cold, pooled");
    assertThat(run("job", "submit", "--image", "i", "--runtime", "k8s")).isEqualTo(2);
    assertThat(err.toString()).contains("--runtime").contains("docker, process");
    assertThat(run("job", "submit", "--image", "i", "--env", "NOVALUE")).isEqualTo(2);
    assertThat(err.toString()).contains("--env");
    assertThat(run("job", "submit", "--image", "i", "--timeout", "5 minutes")).isEqualTo(2);
    assertThat(err.toString()).contains("--timeout").contains("PT1M");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void submitAsJsonPrintsWhatTheApiAnswered() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"j1\",\"status\":\"QUEUED\"}");
    assertThat(run("job", "submit", "--image", "i", "--output", "json")).isZero();
    assertThat(mapper.readTree(out.toString()))
        .isEqualTo(mapper.readTree("{\"id\":\"j1\",\"status\":\"QUEUED\"}"));
  }

  @Test
  void aRefusedSubmitIsAServerError() {
    api.json(
        "POST",
        "/api/jobs",
        400,
        "{\"error\":{\"code\":\"bad_request\",\"message\":\"agent.runtime: docker is not"
            + " available\"}}");
    assertThat(run("job", "submit", "--image", "i", "--runtime", "docker")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("agentainer: agent.runtime: docker is not available\n");
  }

  @Test
  void submitWaitWaitsForTheJobAndPrintsIt() {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"" + JOB_C + "\",\"status\":\"QUEUED\"}")
        .json("GET", "/api/jobs/" + JOB_C, 200, RUNNING_A.replace(JOB_A, JOB_C))
        .json("GET", "/api/jobs/" + JOB_C, 200, SUCCEEDED_C);

    assertThat(run("job", "submit", "--image", "i", "--wait")).isZero();

    assertThat(out.toString())
        .startsWith(JOB_C + "\nID        " + JOB_C + "\nSTATUS    SUCCEEDED (attempt 1)\n")
        .contains("\nOUTPUT    {\"total\":3}\n");
    assertThat(api.requests())
        .extracting(FakeApi.Request::method)
        .containsExactly("POST", "GET", "GET");
  }

  @Test
  void submitWaitExitsOneWhenTheJobFails() {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"" + JOB_A + "\",\"status\":\"QUEUED\"}")
        .json("GET", "/api/jobs/" + JOB_A, 200, FAILED_JOB);

    assertThat(run("job", "submit", "--image", "i", "--wait")).isEqualTo(1);

    assertThat(out.toString()).contains("ERROR     IllegalStateException: boom (retryable)");
  }

  @Test
  void submitWaitAsJsonPrintsOnlyTheFinishedJob() throws IOException {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"" + JOB_C + "\",\"status\":\"QUEUED\"}")
        .json("GET", "/api/jobs/" + JOB_C, 200, SUCCEEDED_C);
    assertThat(run("job", "submit", "--image", "i", "--wait", "-o", "json")).isZero();
    assertThat(mapper.readTree(out.toString())).isEqualTo(mapper.readTree(SUCCEEDED_C));
  }

  @Test
  void submitWaitGivesUpAfterTheWaitTimeout() {
    api.json("POST", "/api/jobs", 202, "{\"id\":\"" + JOB_A + "\",\"status\":\"QUEUED\"}")
        .json("GET", "/api/jobs/" + JOB_A, 200, RUNNING_A);
    assertThat(run("job", "submit", "--image", "i", "--wait", "--wait-timeout", "0s")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("agentainer: job " + JOB_A + " is still RUNNING after PT0S\n");
  }

  // job get, cancel, logs

  @Test
  void getShowsTheJobAsACard() {
    api.json("GET", "/api/jobs/" + JOB_A, 200, FAILED_JOB);

    assertThat(run("job", "get", JOB_A)).isZero();

    assertThat(out.toString())
        .isEqualTo(
            """
            ID        %s
            STATUS    FAILED (attempt 2 of 3)
            WORKFLOW  %s
            STEP      count
            TASK      3
            PARENT    p-1
            IMAGE     agentainer/example-agent:latest
            HANDLER   wordcount
            MODE      pooled
            RUNTIME   process
            AGENT     agent-7
            QUEUED    2025-01-02T03:04:05Z (5m ago)
            STARTED   2025-01-02T03:04:06.250Z
            FINISHED  2025-01-02T03:04:07Z (took 750ms)
            ACQUIRE   12ms
            INPUT     {"item":"a b","index":3}
            ERROR     IllegalStateException: boom (retryable)
            """
                .formatted(JOB_A, WF));
  }

  @Test
  void getAsJsonIsTheJobTheApiSentLessWhatTheClientDoesNotKnow() throws IOException {
    api.json("GET", "/api/jobs/" + JOB_A, 200, FAILED_JOB);
    assertThat(run("job", "get", JOB_A, "--output", "json")).isZero();
    ObjectNode expected = (ObjectNode) mapper.readTree(FAILED_JOB);
    expected.remove("somethingNew");
    assertThat(mapper.readTree(out.toString())).isEqualTo(expected);
  }

  @Test
  void getAnUnknownJobIsAServerError() {
    api.json(
        "GET",
        "/api/jobs/nope",
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no job nope\"}}");
    assertThat(run("job", "get", "nope")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("agentainer: no job nope\n");
  }

  @Test
  void getNeedsAnId() {
    assertThat(run("job", "get")).isEqualTo(2);
    assertThat(err.toString()).contains("JOB_ID");
  }

  @Test
  void jobNeedsASubcommand() {
    assertThat(run("job")).isEqualTo(2);
    assertThat(err.toString()).contains("subcommand");
  }

  @Test
  void cancelPostsAndSaysWhereTheJobIs() {
    api.json(
        "POST", "/api/jobs/" + JOB_B + "/cancel", 202, QUEUED_B.replace("QUEUED", "CANCELLED"));
    assertThat(run("job", "cancel", JOB_B)).isZero();
    assertThat(api.last().method()).isEqualTo("POST");
    assertThat(out.toString()).isEqualTo("job " + JOB_B + " is CANCELLED\n");
  }

  @Test
  void cancellingAFinishedJobIsAServerError() {
    api.json(
        "POST",
        "/api/jobs/" + JOB_C + "/cancel",
        409,
        "{\"error\":{\"code\":\"conflict\",\"message\":\"job already SUCCEEDED\"}}");
    assertThat(run("job", "cancel", JOB_C)).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("agentainer: job already SUCCEEDED\n");
  }

  @Test
  void cancelAsJson() throws IOException {
    api.json(
        "POST", "/api/jobs/" + JOB_B + "/cancel", 202, QUEUED_B.replace("QUEUED", "CANCELLED"));
    assertThat(run("job", "cancel", JOB_B, "-o", "json")).isZero();
    assertThat(mapper.readTree(out.toString()).get("status").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void logsPrintsTheTextAsIs() {
    api.text("GET", "/api/jobs/" + JOB_A + "/logs", 200, "line 1\nline 2 ✓");
    assertThat(run("job", "logs", JOB_A)).isZero();
    assertThat(out.toString()).isEqualTo("line 1\nline 2 ✓\n");
  }

  @Test
  void logsAsJson() throws IOException {
    api.text("GET", "/api/jobs/" + JOB_A + "/logs", 200, "hi\n");
    assertThat(run("job", "logs", JOB_A, "-o", "json")).isZero();
    assertThat(mapper.readTree(out.toString()))
        .isEqualTo(mapper.createObjectNode().put("id", JOB_A).put("logs", "hi\n"));
  }
}
