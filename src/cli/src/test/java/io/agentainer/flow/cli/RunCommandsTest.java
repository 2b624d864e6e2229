package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentainer run} against a stand-in API. */
class RunCommandsTest {

  static final String RUN = "9a8b7c6d-1111-2222-3333-444455556666";
  static final String START = "/api/definitions/wordcount/runs";
  static final String STARTED =
      "{\"id\":\"" + RUN + "\",\"status\":\"PENDING\",\"queuePosition\":0,\"created\":true}";

  /** A run as GET /api/workflows/{id} answers, at a given status and progress. */
  static String run(String status, double progress, String steps) {
    return """
        {"id": "%s", "definition": "wordcount", "version": 3, "status": "%s",
         "input": {"docs": ["a b", "c"]}, "output": %s, "error": %s,
         "progress": %s, "eta": %s, "queuePosition": 0, "trigger": "api",
         "createdAt": "2025-01-02T03:09:00Z", "startedAt": "2025-01-02T03:09:01Z",
         "finishedAt": %s, "steps": [%s]}
        """
        .formatted(
            RUN,
            status,
            status.equals("SUCCEEDED") ? "{\"words\":3}" : "null",
            status.equals("FAILED")
                ? "{\"type\":\"step_failed\",\"message\":\"step count failed\",\"retryable\":false}"
                : "null",
            progress,
            status.equals("RUNNING") ? "\"2025-01-02T03:10:12Z\"" : "null",
            status.equals("RUNNING") ? "null" : "\"2025-01-02T03:09:31.500Z\"",
            steps);
  }

  static String step(
      String name, String kind, String status, int total, int ok, int failed, int running) {
    return """
        {"name": "%s", "kind": "%s", "status": "%s", "total": %d, "succeeded": %d,
         "failed": %d, "running": %d, "attempt": 1}
        """
        .formatted(name, kind, status, total, ok, failed, running);
  }

  @TempDir Path dir;
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

  private JsonNode sent() throws IOException {
    return mapper.readTree(api.last().body());
  }

  @Test
  void runStartsTheDefinitionAndPrintsTheId() throws IOException {
    api.json("POST", START, 202, STARTED);

    assertThat(cli.run("run", "wordcount")).isZero();

    assertThat(cli.out()).isEqualTo(RUN + "\n");
    assertThat(cli.err()).isEmpty();
    assertThat(api.last().method()).isEqualTo("POST");
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer t0k3n");
    assertThat(sent()).isEqualTo(mapper.readTree("{\"input\":{}}"));
  }

  @Test
  void paramsBecomeTheInputWithJsonValuesAndNestedKeys() throws IOException {
    api.json("POST", START, 202, STARTED);

    assertThat(
            cli.run(
                "run",
                "wordcount",
                "--param",
                "docs=[\"a b\", \"c\"]",
                "-p",
                "limits.max=5",
                "--param",
                "limits.strict=true",
                "--param",
                "label=nightly run",
                "--param",
                "zip=01234",
                "--param",
                "quoted=\"10\"",
                "--param",
                "empty="))
        .isZero();

    assertThat(sent().get("input"))
        .isEqualTo(
            mapper.readTree(
                """
                {"docs": ["a b", "c"], "limits": {"max": 5, "strict": true},
                 "label": "nightly run", "zip": "01234", "quoted": "10", "empty": ""}
                """));
  }

  @Test
  void paramsAreSetInTheInputFromAFile() throws IOException {
    api.json("POST", START, 202, STARTED);
    Path input =
        Files.writeString(dir.resolve("input.json"), "{\"docs\":[\"x\"],\"limits\":{\"max\":1}}");

    assertThat(cli.run("run", "wordcount", "--input", "@" + input, "--param", "limits.max=7"))
        .isZero();

    assertThat(sent().get("input"))
        .isEqualTo(mapper.readTree("{\"docs\":[\"x\"],\"limits\":{\"max\":7}}"));
  }

  @Test
  void theIdempotencyKeyIsSentAndARepeatSaysSo() throws IOException {
    api.json(
        "POST",
        START,
        200,
        "{\"id\":\"" + RUN + "\",\"status\":\"RUNNING\",\"queuePosition\":0,\"created\":false}");

    assertThat(cli.run("run", "wordcount", "--idempotency-key", "nightly-2025-01-02")).isZero();

    assertThat(sent().get("idempotencyKey").asText()).isEqualTo("nightly-2025-01-02");
    assertThat(cli.out()).isEqualTo(RUN + "\n");
    assertThat(cli.err())
        .isEqualTo("run " + RUN + " was already started with this idempotency key\n");
  }

  @Test
  void runAsJsonPrintsTheReference() throws IOException {
    api.json("POST", START, 202, STARTED);
    assertThat(cli.run("run", "wordcount", "-o", "json")).isZero();
    assertThat(mapper.readTree(cli.out()))
        .isEqualTo(
            mapper.readTree(
                "{\"id\":\""
                    + RUN
                    + "\",\"status\":\"PENDING\",\"queuePosition\":0,\"created\":true}"));
  }

  // usage errors

  @Test
  void aParamWithoutEqualsSignIsAUsageErrorNamingParam() {
    assertThat(cli.run("run", "wordcount", "--param", "docs")).isEqualTo(2);
    assertThat(cli.err())
        .startsWith(
            "agentainer: Invalid value for option '--param' (KEY=VALUE): expected KEY=VALUE, got 'docs'\n");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void anEmptyKeyPartIsAUsageError() {
    assertThat(cli.run("run", "wordcount", "--param", "a..b=1")).isEqualTo(2);
    assertThat(cli.err()).contains("--param").contains("'a..b' is not a key");
  }

  @Test
  void aKeyThroughAValueIsAUsageErrorNamingParam() {
    assertThat(cli.run("run", "wordcount", "--param", "a=1", "--param", "a.b=2")).isEqualTo(2);
    assertThat(cli.err())
        .startsWith(
            "agentainer: Invalid value for option '--param': a.b=2: a is already 1, not an object\n")
        .contains("Try 'agentainer run --help' for usage.");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void anInputThatIsNotAnObjectIsAUsageErrorNamingInput() {
    assertThat(cli.run("run", "wordcount", "--input", "[1,2]")).isEqualTo(2);
    assertThat(cli.err()).startsWith("agentainer: Invalid value for option '--input'");
    assertThat(cli.run("run", "wordcount", "--input", "{bad")).isEqualTo(2);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void runNeedsADefinitionAndABlankKeyIsRefused() {
    assertThat(cli.run("run")).isEqualTo(2);
    assertThat(cli.err()).contains("DEFINITION");
    assertThat(cli.run("run", "wordcount", "--idempotency-key", " ")).isEqualTo(2);
    assertThat(cli.err()).contains("--idempotency-key");
    assertThat(cli.run("run", "wordcount", "--wait", "--timeout", "soon")).isEqualTo(2);
    assertThat(cli.err()).contains("--timeout");
    assertThat(api.requests()).isEmpty();
  }

  // the server's answers

  @Test
  void inputThatDoesNotFitTheParametersExitsTwoWithEachProblem() {
    api.json(
        "POST",
        START,
        400,
        "{\"error\":{\"code\":\"invalid_input\",\"message\":\"input.docs: is required\","
            + "\"details\":{\"field\":\"input.docs\",\"problems\":["
            + "{\"path\":\"input.docs\",\"message\":\"is required\"},"
            + "{\"path\":\"input.limit\",\"message\":\"must be an integer\"}]}}}");

    assertThat(cli.run("run", "wordcount", "--param", "limit=x")).isEqualTo(2);

    assertThat(cli.err())
        .isEqualTo(
            "agentainer: the input does not fit the parameters of wordcount:\n"
                + "input.docs: is required\n"
                + "input.limit: must be an integer\n");
  }

  @Test
  void anUnknownDefinitionIsAServerError() {
    api.json(
        "POST",
        "/api/definitions/nope/runs",
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"definition nope not found\"}}");
    assertThat(cli.run("run", "nope")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: definition nope not found\n");
  }

  // --wait

  @Test
  void waitFollowsTheRunAndPrintsItWithItsSteps() {
    api.json("POST", START, 202, STARTED)
        .json(
            "GET",
            "/api/workflows/" + RUN,
            200,
            run("RUNNING", 0.5, step("count", "map", "RUNNING", 20, 9, 1, 4)))
        .json(
            "GET",
            "/api/workflows/" + RUN,
            200,
            run(
                "SUCCEEDED",
                1.0,
                step("count", "map", "SUCCEEDED", 20, 20, 0, 0)
                    + ","
                    + step("total", "reduce", "SUCCEEDED", 1, 1, 0, 0)));

    assertThat(cli.run("run", "wordcount", "--wait")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            ID          %s
            DEFINITION  wordcount (version 3)
            STATUS      SUCCEEDED
            PROGRESS    100%%
            TRIGGER     api
            CREATED     2025-01-02T03:09:00Z (1m ago)
            STARTED     2025-01-02T03:09:01Z
            FINISHED    2025-01-02T03:09:31.500Z (took 30.5s)
            INPUT       {"docs":["a b","c"]}
            OUTPUT      {"words":3}

            NAME   KIND    STATUS     TOTAL  OK  FAILED  RUNNING
            count  map     SUCCEEDED  20     20  0       0
            total  reduce  SUCCEEDED  1      1   0       0
            """
                .formatted(RUN));
    // not a terminal: no progress line
    assertThat(cli.err()).isEqualTo("run " + RUN + " started\n");
    assertThat(api.requests())
        .extracting(FakeApi.Request::method)
        .containsExactly("POST", "GET", "GET");
  }

  @Test
  void waitOnATerminalDrawsProgressOnStderr() {
    api.json("POST", START, 202, STARTED)
        .json(
            "GET",
            "/api/workflows/" + RUN,
            200,
            run("RUNNING", 0.5, step("count", "map", "RUNNING", 20, 9, 1, 4)))
        .json("GET", "/api/workflows/" + RUN, 200, run("SUCCEEDED", 1.0, ""));

    assertThat(cli.onATerminal().run("run", "wordcount", "--wait")).isZero();

    assertThat(cli.err())
        .isEqualTo(
            "run "
                + RUN
                + " started\n"
                + "\r[#####-----] 50%  count 10/20  eta 12s"
                + "\r[##########] 100%  SUCCEEDED          \n");
    assertThat(cli.out()).startsWith("ID          " + RUN + "\n");
  }

  @Test
  void waitExitsOneWhenTheRunDidNotSucceed() {
    api.json("POST", START, 202, STARTED)
        .json(
            "GET",
            "/api/workflows/" + RUN,
            200,
            run("FAILED", 0.4, step("count", "map", "FAILED", 20, 7, 13, 0)));

    assertThat(cli.run("run", "wordcount", "--wait")).isEqualTo(1);

    assertThat(cli.out())
        .contains("STATUS      FAILED\n")
        .contains("ERROR       step_failed: step count failed\n")
        .contains("count  map   FAILED  20     7   13      0\n");
  }

  @Test
  void waitAsJsonPrintsOnlyTheEndedRun() throws IOException {
    String ended = run("SUCCEEDED", 1.0, step("count", "map", "SUCCEEDED", 2, 2, 0, 0));
    api.json("POST", START, 202, STARTED).json("GET", "/api/workflows/" + RUN, 200, ended);

    assertThat(cli.onATerminal().run("run", "wordcount", "--wait", "-o", "json")).isZero();

    JsonNode printed = mapper.readTree(cli.out());
    assertThat(printed.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(printed.get("steps").get(0).get("succeeded").asInt()).isEqualTo(2);
    assertThat(printed.get("output")).isEqualTo(mapper.readTree("{\"words\":3}"));
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void waitGivesUpAfterTheTimeout() {
    api.json("POST", START, 202, STARTED)
        .json("GET", "/api/workflows/" + RUN, 200, run("RUNNING", 0.5, ""));
    assertThat(cli.run("run", "wordcount", "--wait", "--timeout", "0s")).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo(
            "run "
                + RUN
                + " started\nagentainer: workflow "
                + RUN
                + " is still RUNNING after PT0S\n");
    assertThat(cli.out()).isEmpty();
  }
}
