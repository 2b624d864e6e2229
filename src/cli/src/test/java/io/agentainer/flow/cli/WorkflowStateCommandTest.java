package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code agentainer workflow state} against a stand-in API. */
@Timeout(30)
class WorkflowStateCommandTest {

  static final String RUN = RunCommandsTest.RUN;
  static final String JOB = WorkflowCommandsTest.JOB;
  static final String STATE = "/api/workflows/" + RUN + "/state";
  static final String HISTORY = STATE + "/history";
  static final String EXPORT = STATE + "/export";
  static final String STATS = STATE + "/stats";
  static final String RUN_NOT_FOUND =
      "{\"error\":{\"code\":\"not_found\",\"message\":\"workflow " + RUN + " not found\"}}";
  static final String LONG = "x".repeat(100);

  static final String SNAPSHOT =
      """
      {"processed": 42, "seen": ["a", "b"], "config": {"mode": "fast", "retries": 3},
       "nothing": null, "ratio": 0.10, "big": 12345678901234567890.5, "long": "%s"}
      """
          .formatted(LONG);

  private final ObjectMapper mapper = new ObjectMapper();
  private FakeApi api;
  private CliHarness cli;
  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  // every key

  @Test
  void theStateIsAKeyValueTableOfCompactJsonWithLongValuesCut() {
    api.json("GET", STATE, 200, SNAPSHOT);

    assertThat(cli.run("workflow", "state", RUN)).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            KEY        VALUE
            big        12345678901234567890.5
            config     {"mode":"fast","retries":3}
            long       "%s...
            nothing    null
            processed  42
            ratio      0.10
            seen       ["a","b"]
            """
                .formatted("x".repeat(56)));
    FakeApi.Request request = api.last();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.rawQuery()).isNull();
    assertThat(request.header("Authorization")).isEqualTo("Bearer t0k3n");
    assertThat(request.header("Accept")).isEqualTo("application/json");
  }

  @Test
  void wideShowsWholeValues() {
    api.json("GET", STATE, 200, SNAPSHOT);
    assertThat(cli.run("workflow", "state", RUN, "--wide")).isZero();
    assertThat(cli.out()).contains("long       \"" + LONG + "\"\n");
  }

  @Test
  void theStateAsJsonIsTheObjectTheApiAnswers() throws IOException {
    api.json("GET", STATE, 200, SNAPSHOT);

    assertThat(cli.run("workflow", "state", RUN, "-o", "json")).isZero();

    JsonNode state = mapper.readTree(cli.out());
    assertThat(state.fieldNames())
        .toIterable()
        .containsExactly("processed", "seen", "config", "nothing", "ratio", "big", "long");
    assertThat(state.get("nothing").isNull()).isTrue();
    assertThat(state.get("long").asText()).isEqualTo(LONG);
    assertThat(cli.out()).contains("\"ratio\" : 0.10,").contains("12345678901234567890.5");
  }

  @Test
  void noKeysSaysSo() {
    api.json("GET", STATE, 200, "{}");
    assertThat(cli.run("workflow", "state", RUN)).isZero();
    assertThat(cli.run("workflow", "state", RUN, "--at", "5m")).isZero();
    assertThat(cli.out()).isEqualTo("no keys\nno keys at 2025-01-02T03:05:00Z\n");
  }

  @Test
  void anUnknownRunIsTheApisMessage() {
    api.json("GET", STATE, 404, RUN_NOT_FOUND);
    assertThat(cli.run("workflow", "state", RUN)).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: workflow " + RUN + " not found\n");
    assertThat(cli.out()).isEmpty();
  }

  // one key

  @Test
  void aKeyIsItsValueAsIndentedJson() {
    api.json(
        "GET",
        STATE + "/processed",
        200,
        "{\"key\":\"processed\",\"value\":{\"count\":3,\"items\":[\"a\"]}}");

    assertThat(cli.run("workflow", "state", RUN, "processed")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            {
              "count" : 3,
              "items" : [ "a" ]
            }
            """);
  }

  @Test
  void aKeyAsJsonIsTheKeyAndItsValue() throws IOException {
    api.json("GET", STATE + "/processed", 200, "{\"key\":\"processed\",\"value\":null}");

    assertThat(cli.run("workflow", "state", RUN, "processed")).isZero();
    assertThat(cli.out()).isEqualTo("null\n");

    assertThat(cli.run("workflow", "state", RUN, "processed", "-o", "json")).isZero();
    JsonNode answer = mapper.readTree(cli.out().substring("null\n".length()));
    assertThat(answer.get("key").asText()).isEqualTo("processed");
    assertThat(answer.get("value").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a b/c | a%20b%2Fc",
        ".. | %2E%2E",
        ". | %2E",
        "v1.2 | v1.2",
        "ünï+? | %C3%BCn%C3%AF%2B%3F"
      })
  void aKeyIsOneEncodedPathSegment(String key, String segment) {
    api.json("GET", STATE + "/" + segment, 200, "{\"key\":\"k\",\"value\":1}");
    assertThat(cli.run("workflow", "state", RUN, key)).isZero();
    assertThat(api.last().path()).isEqualTo(STATE + "/" + segment);
    assertThat(cli.out()).isEqualTo("1\n");
  }

  @Test
  void aKeyNamedLikeAStatePathIsReadFromTheSnapshot() throws IOException {
    api.json("GET", STATE, 200, "{\"history\":[1,2],\"other\":3}")
        .json("GET", STATS, 200, "{\"keys\":2}");

    assertThat(cli.run("workflow", "state", RUN, "history")).isZero();
    assertThat(cli.out()).isEqualTo("[ 1, 2 ]\n");
    assertThat(cli.run("workflow", "state", RUN, "history", "--at", "5m", "-o", "json")).isZero();
    JsonNode entry = mapper.readTree(cli.out().substring("[ 1, 2 ]\n".length()));
    assertThat(entry.get("key").asText()).isEqualTo("history");
    assertThat(entry.get("value").get(1).asInt()).isEqualTo(2);
    assertThat(cli.run("workflow", "state", RUN, "export")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: no key export in run " + RUN + "\n");

    assertThat(api.requests())
        .extracting(r -> r.path() + (r.rawQuery() == null ? "" : "?" + r.rawQuery()))
        .containsExactly(STATE, STATE + "?at=2025-01-02T03%3A05%3A00Z", STATE, STATS);
  }

  @Test
  void aMissingKeyIsNamedWithExitCode1() {
    api.json("GET", STATS, 200, "{\"keys\":2,\"bytes\":40,\"historyRows\":9,\"largeValues\":0}");

    assertThat(cli.run("workflow", "state", RUN, "nope")).isEqualTo(1);
    assertThat(cli.run("workflow", "state", RUN, "nope", "--at", "2025-01-01T00:00:00Z"))
        .isEqualTo(1);

    assertThat(cli.err())
        .isEqualTo(
            "agentainer: no key nope in run "
                + RUN
                + "\nagentainer: no key nope in run "
                + RUN
                + " at 2025-01-01T00:00:00Z\n");
    assertThat(cli.out()).isEmpty();
    assertThat(api.requests())
        .extracting(FakeApi.Request::path)
        .containsExactly(STATE + "/nope", STATS, STATE + "/nope", STATS);
  }

  @Test
  void aKeyOfAnUnknownRunIsTheApisMessageAboutTheRun() {
    api.json("GET", STATE + "/nope", 404, RUN_NOT_FOUND).json("GET", STATS, 404, RUN_NOT_FOUND);
    assertThat(cli.run("workflow", "state", RUN, "nope")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: workflow " + RUN + " not found\n");
  }

  @Test
  void aMissingKeyStaysMissingWhenTheRunCannotBeLookedAt() {
    api.json(
        "GET",
        STATS,
        503,
        "{\"error\":{\"code\":\"unavailable\",\"message\":\"try again later\"}}");
    assertThat(cli.run("workflow", "state", RUN, "nope")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: no key nope in run " + RUN + "\n");
  }

  @Test
  void otherErrorsOfAKeyAreTheServers() {
    api.json(
        "GET",
        STATE + "/k",
        403,
        "{\"error\":{\"code\":\"forbidden\",\"message\":\"this token reaches another run\"}}");
    assertThat(cli.run("workflow", "state", RUN, "k")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: this token reaches another run\n");
    assertThat(api.requests()).hasSize(1);
  }

  // --at

  @ParameterizedTest
  @CsvSource({
    "2026-11-27T10:15:30Z, 2026-11-27T10:15:30Z",
    "2026-11-27T10:15:30.250Z, 2026-11-27T10:15:30.250Z",
    "2026-11-27T11:15:30+01:00, 2026-11-27T10:15:30Z",
    "5m, 2025-01-02T03:05:00Z",
    "2h, 2025-01-02T01:10:00Z",
    "1h30m, 2025-01-02T01:40:00Z",
    "PT90S, 2025-01-02T03:08:30Z",
    "0s, 2025-01-02T03:10:00Z"
  })
  void atAsksForTheStateAsItWasThen(String at, String sent) {
    api.json("GET", STATE, 200, "{\"processed\":7}")
        .json("GET", STATE + "/processed", 200, "{\"key\":\"processed\",\"value\":7}");

    assertThat(cli.run("workflow", "state", RUN, "--at", at)).isZero();
    assertThat(api.last().path()).isEqualTo(STATE);
    assertThat(api.last().query("at")).containsExactly(sent);

    assertThat(cli.run("workflow", "state", RUN, "processed", "--at=" + at)).isZero();
    assertThat(api.last().path()).isEqualTo(STATE + "/processed");
    assertThat(api.last().query("at")).containsExactly(sent);

    assertThat(cli.out()).isEqualTo("KEY        VALUE\nprocessed  7\n7\n");
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "2026-13-45T00:00:00Z", "2026-11-27", "-5m", "5 m", "''"})
  void aBadAtIsAUsageErrorNamingIt(String at) {
    assertThat(cli.run("workflow", "state", RUN, "--at", at)).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("agentainer: Invalid value for option '--at': '" + at + "' is not a time")
        .contains("2026-11-27T10:15:30Z")
        .contains("5m")
        .contains("Try 'agentainer workflow state --help' for usage.");
    assertThat(api.requests()).isEmpty();
  }

  // --history

  static String change(long id, String key, String op, String value, String delta, String job) {
    return """
        {"id": %d, "key": "%s", "op": "%s", "value": %s, "delta": %s, "jobId": %s,
         "at": "2025-01-02T03:09:%02dZ"}"""
        .formatted(id, key, op, value, delta, job == null ? "null" : "\"" + job + "\"", id);
  }

  static String history(long total, String... changes) {
    return "{\"items\":[" + String.join(",", changes) + "],\"total\":" + total + "}";
  }

  static final String[] CHANGES = {
    change(1, "processed", "PUT", "0", "null", null),
    change(2, "processed", "INCREMENT", "5", "5", JOB),
    change(3, "processed", "INCREMENT", "3", "-2", JOB),
    change(4, "seen", "APPEND", "\"a\"", "null", JOB),
    change(5, "lock", "COMPARE_AND_SWAP", "{\"owner\": \"x\"}", "null", JOB),
    change(6, "seen", "DELETE", "null", "null", null),
    change(7, "note", "PUT", "\"" + LONG + "\"", "null", JOB)
  };

  @Test
  void historyIsATableOfChangesOldestFirst() {
    api.json("GET", HISTORY, 200, history(7, CHANGES));

    assertThat(cli.run("workflow", "state", RUN, "--history")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            ID  AT                        OP                KEY        VALUE/DELTA%s  JOB
            1   2025-01-02T03:09:01.000Z  PUT               processed  0%s  -
            2   2025-01-02T03:09:02.000Z  INCREMENT         processed  +5%s  abcdef01
            3   2025-01-02T03:09:03.000Z  INCREMENT         processed  -2%s  abcdef01
            4   2025-01-02T03:09:04.000Z  APPEND            seen       "a"%s  abcdef01
            5   2025-01-02T03:09:05.000Z  COMPARE_AND_SWAP  lock       {"owner":"x"}%s  abcdef01
            6   2025-01-02T03:09:06.000Z  DELETE            seen       -%s  -
            7   2025-01-02T03:09:07.000Z  PUT               note       "%s...  abcdef01
            """
                .formatted(
                    pad(11), pad(1), pad(2), pad(2), pad(3), pad(13), pad(1), "x".repeat(56)));
    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=100");
  }

  /** The blanks after a VALUE/DELTA cell this long, to the column's width (60). */
  private static String pad(int length) {
    return " ".repeat(60 - length);
  }

  @Test
  void historyOfAKeySendsTheKeyAndTheTimes() {
    api.json("GET", HISTORY, 200, history(1, CHANGES[1]));

    assertThat(
            cli.run(
                "workflow",
                "state",
                RUN,
                "processed",
                "--history",
                "--from",
                "1h",
                "--to",
                "2025-01-02T03:09:30Z",
                "--limit",
                "20",
                "-w"))
        .isZero();

    FakeApi.Request request = api.last();
    assertThat(request.query("key")).containsExactly("processed");
    assertThat(request.query("from")).containsExactly("2025-01-02T02:10:00Z");
    assertThat(request.query("to")).containsExactly("2025-01-02T03:09:30Z");
    assertThat(request.query("page")).containsExactly("0");
    assertThat(request.query("size")).containsExactly("20");
    assertThat(cli.out()).contains("+5           " + JOB + "\n");
  }

  @Test
  void historyFollowsPagesUntilItHasEveryChange() {
    api.json("GET", HISTORY, 200, history(5, CHANGES[0], CHANGES[1]))
        .json("GET", HISTORY, 200, history(5, CHANGES[2], CHANGES[3]))
        .json("GET", HISTORY, 200, history(5, CHANGES[4]));

    assertThat(cli.run("workflow", "state", RUN, "--history")).isZero();

    assertThat(api.requests())
        .extracting(FakeApi.Request::rawQuery)
        .containsExactly("page=0&size=100", "page=1&size=100", "page=2&size=100");
    assertThat(cli.out().lines()).hasSize(6).last().asString().startsWith("5 ");
  }

  @Test
  void historyStopsAtTheLimitAndSaysHowManyThereAre() {
    api.json("GET", HISTORY, 200, history(5, CHANGES[0], CHANGES[1]))
        .json("GET", HISTORY, 200, history(5, CHANGES[2], CHANGES[3]));

    assertThat(cli.run("workflow", "state", RUN, "--history", "--limit", "3")).isZero();

    assertThat(api.requests())
        .extracting(FakeApi.Request::rawQuery)
        .containsExactly("page=0&size=3", "page=1&size=3");
    List<String> lines = cli.out().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(3)).startsWith("3 ");
    assertThat(lines.get(4))
        .isEqualTo("first 3 of 5 changes shown; see more with --limit, or narrow with --from/--to");
  }

  @Test
  void aLargeLimitAsksForTheLargestPages() {
    api.json("GET", HISTORY, 200, history(1, CHANGES[0]));
    assertThat(cli.run("workflow", "state", RUN, "--history", "--limit", "10000")).isZero();
    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=500");
  }

  @Test
  void historyWithoutATotalStopsAtAShortPage() {
    api.json("GET", HISTORY, 200, "{\"items\":[" + CHANGES[0] + "]}");
    assertThat(cli.run("workflow", "state", RUN, "--history", "--limit", "2")).isZero();
    assertThat(api.requests()).hasSize(1);
    assertThat(cli.out().lines()).hasSize(2);
  }

  @Test
  void historyAsJsonHasTheChangesAndTheTotal() throws IOException {
    api.json("GET", HISTORY, 200, history(7, CHANGES[1], CHANGES[5]));

    assertThat(cli.run("workflow", "state", RUN, "--history", "--limit", "2", "-o", "json"))
        .isZero();

    JsonNode answer = mapper.readTree(cli.out());
    assertThat(answer.get("total").asLong()).isEqualTo(7);
    assertThat(answer.get("items")).hasSize(2);
    assertThat(answer.get("items").get(0).get("delta").asInt()).isEqualTo(5);
    assertThat(answer.get("items").get(0).get("jobId").asText()).isEqualTo(JOB);
    assertThat(answer.get("items").get(1).get("op").asText()).isEqualTo("DELETE");
  }

  @Test
  void noChangesSaysSo() {
    api.json("GET", HISTORY, 200, history(0));
    assertThat(cli.run("workflow", "state", RUN, "--history")).isZero();
    assertThat(cli.out()).isEqualTo("no changes\n");
  }

  @Test
  void anUnreadableTimeIsShownAsSent() {
    api.json(
        "GET",
        HISTORY,
        200,
        history(1, "{\"id\":1,\"key\":\"k\",\"op\":\"PUT\",\"value\":true,\"at\":\"soon\"}"));
    assertThat(cli.run("workflow", "state", RUN, "--history")).isZero();
    assertThat(cli.out()).contains("1   soon  PUT  k    true         -");
  }

  // --export

  static final String EXPORTED =
      "{\"workflowId\":\"" + RUN + "\",\"state\":{\"café\":1},\"history\":[]}";

  @Test
  void exportStreamsTheFileAndSaysWhereAndHowBig() throws IOException {
    api.json("GET", EXPORT, 200, EXPORTED);
    Path file = dir.resolve("state.json");

    assertThat(cli.run("workflow", "state", RUN, "--export", file.toString())).isZero();

    byte[] bytes = EXPORTED.getBytes(StandardCharsets.UTF_8);
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    assertThat(cli.out()).isEqualTo("wrote " + bytes.length + " bytes to " + file + "\n");
    assertThat(api.last().path()).isEqualTo(EXPORT);
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer t0k3n");
    assertThat(files()).containsExactly(file);
  }

  @Test
  void exportAsJsonSaysWhereAndHowBig() throws IOException {
    api.json("GET", EXPORT, 200, "1");
    Path file = dir.resolve("one.json");

    assertThat(cli.run("workflow", "state", RUN, "--export", file.toString(), "-o", "json"))
        .isZero();

    JsonNode answer = mapper.readTree(cli.out());
    assertThat(answer.get("workflowId").asText()).isEqualTo(RUN);
    assertThat(answer.get("file").asText()).isEqualTo(file.toString());
    assertThat(answer.get("bytes").asLong()).isEqualTo(1);
  }

  @Test
  void exportRefusesToReplaceAFileUnlessForced() throws IOException {
    api.json("GET", EXPORT, 200, EXPORTED);
    Path file = Files.writeString(dir.resolve("state.json"), "keep me");

    assertThat(cli.run("workflow", "state", RUN, "--export", file.toString())).isEqualTo(2);
    assertThat(cli.err())
        .startsWith(
            "agentainer: Invalid value for option '--export': "
                + file
                + " already exists; add --force to replace it\n");
    assertThat(Files.readString(file)).isEqualTo("keep me");
    assertThat(api.requests()).isEmpty();

    assertThat(cli.run("workflow", "state", RUN, "--export", file.toString(), "--force")).isZero();
    assertThat(Files.readString(file)).isEqualTo(EXPORTED);
    assertThat(files()).containsExactly(file);
  }

  @Test
  void aFailedExportLeavesNoFileAndReplacesNone() throws IOException {
    api.json("GET", EXPORT, 404, RUN_NOT_FOUND);
    Path fresh = dir.resolve("fresh.json");
    Path kept = Files.writeString(dir.resolve("kept.json"), "keep me");

    assertThat(cli.run("workflow", "state", RUN, "--export", fresh.toString())).isEqualTo(1);
    assertThat(cli.run("workflow", "state", RUN, "--export", kept.toString(), "--force"))
        .isEqualTo(1);

    assertThat(cli.err())
        .isEqualTo(
            "agentainer: workflow "
                + RUN
                + " not found\nagentainer: workflow "
                + RUN
                + " not found\n");
    assertThat(cli.out()).isEmpty();
    assertThat(Files.readString(kept)).isEqualTo("keep me");
    assertThat(files()).containsExactly(kept);
  }

  @Test
  void exportNeedsAFileInAnExistingDirectory() {
    assertThat(cli.run("workflow", "state", RUN, "--export", dir.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("--export").contains(dir + " is a directory");
    Path nowhere = dir.resolve("no/such/dir/state.json");
    assertThat(cli.run("workflow", "state", RUN, "--export", nowhere.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("--export").contains("no directory " + nowhere.getParent());
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void anExportThatCannotReachTheServerLeavesNoFile() throws IOException {
    Path file = dir.resolve("state.json");
    assertThat(
            Agentainer.run(
                new String[] {
                  "workflow",
                  "state",
                  RUN,
                  "--export",
                  file.toString(),
                  "--api",
                  "http://127.0.0.1:1/api",
                  "--token",
                  "t"
                },
                new PrintWriter(cli.out, true),
                new PrintWriter(cli.err, true)))
        .isEqualTo(1);
    assertThat(cli.err())
        .startsWith("agentainer: cannot reach http://127.0.0.1:1/api/workflows/" + RUN)
        .doesNotContain("Exception");
    assertThat(files()).isEmpty();
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  // usage

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--history --at 5m | Option '--at' cannot be used with '--history'",
        "--export f.json --at 5m | Option '--at' cannot be used with '--export'",
        "--export f.json --history | Option '--history' cannot be used with '--export'",
        "k --export f.json | Parameter 'KEY' cannot be used with '--export'",
        "--limit 5 | Option '--limit' can only be used with '--history'",
        "--from 5m | Option '--from' can only be used with '--history'",
        "k --to 5m | Option '--to' can only be used with '--history'",
        "--force | Option '--force' can only be used with '--export'",
        "--history --from 5m --to 10m | Option '--from' must not be after '--to'",
        "--history --from nope | Invalid value for option '--from': 'nope' is not a time",
        "--history --to 5x | Invalid value for option '--to': '5x' is not a time",
        "--history --limit 0 | Invalid value for option '--limit'",
        "--history --limit 10001 | Invalid value for option '--limit'",
        "k1 k2 | Unmatched argument at index 4: 'k2'"
      })
  void optionsThatDoNotGoTogetherAreUsageErrorsNamingThem(String args, String message) {
    String[] line =
        Stream.concat(Stream.of("workflow", "state", RUN), Stream.of(args.split(" ")))
            .toArray(String[]::new);
    assertThat(cli.run(line)).isEqualTo(2);
    assertThat(cli.err()).startsWith("agentainer: " + message);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void emptyIdsAndKeysAreUsageErrors() {
    assertThat(cli.run("workflow", "state", "")).isEqualTo(2);
    assertThat(cli.err()).contains("WORKFLOW_ID must not be empty");
    assertThat(cli.run("workflow", "state", RUN, "")).isEqualTo(2);
    assertThat(cli.err()).contains("KEY must not be empty");
    assertThat(cli.run("workflow", "state")).isEqualTo(2);
    assertThat(cli.err()).contains("Missing required parameter: 'WORKFLOW_ID'");
    assertThat(api.requests()).isEmpty();
  }

  // answers that are not what they should be

  @Test
  void anAnswerThatIsNotAJsonObjectIsAnError() {
    api.text("GET", STATE, 200, "<html>proxy</html>").json("GET", HISTORY, 200, "[]");

    assertThat(cli.run("workflow", "state", RUN)).isEqualTo(1);
    assertThat(cli.run("workflow", "state", RUN, "--history")).isEqualTo(1);

    assertThat(cli.err())
        .startsWith("agentainer: unreadable answer from http://127.0.0.1:")
        .contains(STATE + ": Unexpected character ('<'")
        .contains(HISTORY + "?page=0&size=100: not a JSON object\n");
  }

  @Test
  void anErrorWithoutAnApiBodyIsShownAsSent() {
    api.text("GET", STATE, 500, "boom\n").text("GET", HISTORY, 502, "");

    assertThat(cli.run("workflow", "state", RUN)).isEqualTo(1);
    assertThat(cli.run("workflow", "state", RUN, "--history")).isEqualTo(1);

    assertThat(cli.err())
        .isEqualTo(
            "agentainer: boom\nagentainer: HTTP 502 from "
                + api.api()
                + "/workflows/"
                + RUN
                + "/state/history?page=0&size=100\n");
  }

  @Test
  void anUnreachableServerIsAnErrorNotAStackTrace() {
    assertThat(
            Agentainer.run(
                new String[] {"workflow", "state", RUN, "k", "--api", "http://127.0.0.1:1/api/"},
                new PrintWriter(cli.out, true),
                new PrintWriter(cli.err, true)))
        .isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo(
            "agentainer: cannot reach http://127.0.0.1:1/api/workflows/"
                + RUN
                + "/state/k: connection refused (is the server running?)\n");
  }

  @Test
  void theCommandHasHelp() {
    assertThat(cli.run("workflow", "state", "--help")).isZero();
    assertThat(cli.out())
        .contains("Usage: agentainer workflow state")
        .contains("WORKFLOW_ID")
        .contains("[KEY]")
        .contains("--at=TIME")
        .contains("--history")
        .contains("--from=TIME")
        .contains("--to=TIME")
        .contains("--limit=N")
        .contains("--export=FILE")
        .contains("--force")
        .contains("  agentainer workflow state $RUN --export state.json\n");
  }
}
