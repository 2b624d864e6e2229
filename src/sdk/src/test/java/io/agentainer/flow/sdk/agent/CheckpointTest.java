package io.agentainer.flow.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job checkpoints: read from the request, saved through the API, and the keys that follow them. */
class CheckpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StandInApi api;

  @BeforeEach
  void start() throws IOException {
    api = new StandInApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  private TaskContext context(int attempt, JsonNode checkpoint) {
    return context("job-1", attempt, checkpoint);
  }

  private TaskContext context(String jobId, int attempt, JsonNode checkpoint) {
    return new TaskContext(
        TaskRequest.builder(jobId)
            .workflowId("wf")
            .attempt(attempt)
            .checkpoint(checkpoint)
            .flow(new FlowAccess(api.api(), "tok", null))
            .build(),
        "h",
        RunApiTest.QUICK);
  }

  @Test
  void theCheckpointComesWithTheRequest() throws Exception {
    TaskRequest retried =
        TaskRequest.parse(json("{\"jobId\":\"j\",\"attempt\":2,\"checkpoint\":{\"next\":3}}"));
    assertThat(retried.checkpoint()).hasValue(json("{\"next\":3}"));
    assertThat(TaskContext.of(retried).checkpoint()).hasValue(json("{\"next\":3}"));
    assertThat(TaskRequest.parse(json("{\"jobId\":\"j\",\"checkpoint\":null}")).checkpoint())
        .isEmpty();
    assertThat(TaskRequest.parse(json("{\"jobId\":\"j\"}")).checkpoint()).isEmpty();
    assertThat(TaskRequest.builder("j").checkpoint(json("0")).build().checkpoint())
        .hasValue(json("0"));
    assertThat(new TaskRequest("j", null, null, 0, 1, null, null, null, null).lastCheckpoint())
        .isNull();
  }

  @Test
  void theAgentFillsInTheRestAndKeepsTheCheckpoint() throws Exception {
    TaskRequest completed =
        AgentEnvironment.of(Map.of("FLOW_WORKFLOW_ID", "wf"))
            .complete(TaskRequest.parse(json("{\"jobId\":\"j\",\"checkpoint\":[1]}")));
    assertThat(completed.workflow()).hasValue("wf");
    assertThat(completed.checkpoint()).hasValue(json("[1]"));
  }

  @Test
  void savingPutsTheValueOnTheJobWithoutAnIdempotencyKey() throws Exception {
    TaskContext context = context("job 1", 1, null);
    context.saveCheckpoint(Map.of("next", 2));
    context.saveCheckpoint(json("{\"next\":3}"));

    assertThat(api.calls())
        .allSatisfy(
            call -> {
              assertThat(call.method()).isEqualTo("PUT");
              assertThat(call.path()).isEqualTo("/api/jobs/job%201/checkpoint");
              assertThat(call.authorization()).isEqualTo("Bearer tok");
              assertThat(call.idempotencyKey()).isNull();
            });
    assertThat(api.calls())
        .extracting(StandInApi.Call::body)
        .containsExactly("{\"value\":{\"next\":2}}", "{\"value\":{\"next\":3}}");
    assertThat(api.checkpoint("job 1")).isEqualTo(json("{\"next\":3}"));
    assertThat(context.checkpoint()).isEmpty();
  }

  @Test
  void savingIsTriedAgainAndNeedsNoRun() throws Exception {
    api.failNext(1, 503, "restarting");
    TaskContext context =
        new TaskContext(
            TaskRequest.builder("j").flow(new FlowAccess(api.api(), "t", null)).build(),
            "h",
            RunApiTest.QUICK);
    context.saveCheckpoint(List.of(1, 2));
    assertThat(api.calls()).hasSize(2);
    assertThat(api.checkpoint("j")).isEqualTo(json("[1,2]"));
  }

  @Test
  void aRefusedCheckpointFailsForGood() {
    api.answer(403, "{\"error\":{\"message\":\"not your job\"}}");
    assertThatThrownBy(() -> context(1, null).saveCheckpoint(1))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.getMessage()).endsWith("HTTP 403: not your job");
            });
  }

  @Test
  void changesAfterACheckpointAreNumberedUnderItSoTheRetryThatStartsThereCountsThemOnce()
      throws Exception {
    TaskContext first = context(1, null);
    first.state().increment("done", 1);
    first.saveCheckpoint(Map.of("next", 1, "label", "one"));
    first.state().increment("done", 1);
    first.state().append("log", "after one");
    // the first attempt dies here; the retry starts from the checkpoint, as the API gives it back
    TaskContext retry = context(2, json("{\"label\":\"one\",\"next\":1.0}"));
    retry.state().increment("done", 1);
    retry.state().append("log", "after one");
    retry.state().increment("done", 1);

    String after = "job-1:" + ChangeKeys.fingerprint(json("{\"next\":1,\"label\":\"one\"}"));
    assertThat(api.calls())
        .extracting(StandInApi.Call::idempotencyKey)
        .containsExactly(
            "job-1:1", null, after + ":1", after + ":2", after + ":1", after + ":2", after + ":3");
    assertThat(api.state().get("done").asLong()).isEqualTo(3);
    assertThat(api.state().get("log")).isEqualTo(json("[\"after one\"]"));
  }

  @Test
  void aFingerprintIsTheSameForEqualJsonWrittenDifferently() throws Exception {
    assertThat(
            ChangeKeys.canonical(
                json("{\"b\":[1.50,\"x\",true,null],\"a\":{\"d\":0.0,\"c\":1e2}}")))
        .isEqualTo("{\"a\":{\"c\":1E+2,\"d\":0},\"b\":[1.5,\"x\",true,null]}");
    assertThat(ChangeKeys.fingerprint(json("{\"a\":100,\"b\":\"\\\"q\"}")))
        .isEqualTo(ChangeKeys.fingerprint(json("{\"b\":\"\\\"q\",\"a\":100.0}")))
        .hasSize(16);
    assertThat(ChangeKeys.fingerprint(json("{\"next\":1}")))
        .isNotEqualTo(ChangeKeys.fingerprint(json("{\"next\":2}")));
    assertThat(ChangeKeys.canonical(JSON.getNodeFactory().numberNode(Double.NaN))).isEqualTo("NaN");
  }
}
