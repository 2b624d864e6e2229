package io.agentainer.flow.sdk.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentainer.flow.sdk.agent.AgentHttp;
import io.agentainer.flow.sdk.agent.AgentHttp.Answer;
import io.agentainer.flow.sdk.agent.AgentServer;
import io.agentainer.flow.sdk.agent.StandInApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example agent in process, over real HTTP on loopback. */
class ExampleAgentTest {

  private AgentServer agent;
  private AgentHttp http;

  @BeforeEach
  void start() throws IOException {
    agent = ExampleAgent.start(Map.of("FLOW_AGENT_PORT", "0"));
    http = new AgentHttp(agent.port());
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  void servesEveryExampleHandler() {
    // besides <workflow>.<step> handlers of the example workflows
    assertThat(agent.handlerNames().stream().filter(h -> !h.contains(".")))
        .containsExactlyInAnyOrder(
            "echo",
            "sleep",
            "fail",
            "crash",
            "split",
            "wordcount",
            "sum",
            "incr",
            "append",
            "checkpointed",
            "whoami");
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  @Test
  void aMapAndReduceOverHttp() {
    Answer split =
        http.task(
            "{\"jobId\":\"j1\",\"workflowId\":\"w\",\"stepId\":\"list\",\"handler\":\"split\","
                + "\"input\":{\"text\":\"a b\\nb c\\nc c\",\"lines\":1}}");
    assertThat(split.body().path("output").path("docs").size()).isEqualTo(3);
    Answer count =
        http.task("{\"jobId\":\"j2\",\"stepId\":\"wordcount\",\"input\":{\"item\":\"c c c\"}}");
    assertThat(count.body().path("output").toString())
        .isEqualTo("{\"words\":{\"c\":3},\"total\":3}");
    Answer sum =
        http.task(
            "{\"jobId\":\"j3\",\"stepId\":\"total\",\"handler\":\"sum\",\"results\":["
                + "{\"taskId\":0,\"status\":\"SUCCEEDED\",\"output\":"
                + count.body().path("output")
                + "},{\"taskId\":1,\"status\":\"FAILED\",\"error\":{\"message\":\"x\"}}]}");
    assertThat(sum.body().path("output").toString())
        .isEqualTo("{\"words\":{\"c\":3},\"total\":3,\"succeeded\":1,\"failed\":1}");
  }

  @Test
  void failAnswers422WithTheErrorShape() {
    Answer answer =
        http.task(
            "{\"jobId\":\"j1\",\"handler\":\"fail\",\"attempt\":1,"
                + "\"input\":{\"retryable\":true,\"message\":\"nope\",\"failTimes\":1}}");
    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.body().toString())
        .isEqualTo(
            "{\"error\":{\"type\":\"failed\",\"message\":\"nope (attempt 1)\","
                + "\"retryable\":true}}");
    Answer second =
        http.task(
            "{\"jobId\":\"j1\",\"handler\":\"fail\",\"attempt\":2,\"input\":{\"failTimes\":1}}");
    assertThat(second.body().toString()).isEqualTo("{\"output\":{\"attempt\":2}}");
  }

  @Test
  void badInputIs422NotRetryableNamingTheField() {
    Answer answer = http.task("{\"jobId\":\"j1\",\"handler\":\"sleep\",\"input\":{\"ms\":\"x\"}}");
    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.error().path("type").asText()).isEqualTo("bad_input");
    assertThat(answer.error().path("message").asText()).startsWith("input.ms:");
    assertThat(answer.error().path("retryable").asBoolean()).isFalse();
  }

  @Test
  void aSleepingTaskIsCancelled() {
    CompletableFuture<Answer> sleeping =
        http.taskAsync("{\"jobId\":\"sleepy\",\"handler\":\"sleep\",\"input\":{\"ms\":60000}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.runningTasks() == 1);
    assertThat(http.delete("/task/sleepy").status()).isEqualTo(202);
    Answer answer = sleeping.join();
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.error().path("type").asText()).isEqualTo("cancelled");
  }

  @Test
  void incrCallsTheApiItIsGivenWithTheRunsToken() throws IOException {
    try (StandInApi api = new StandInApi()) {
      Answer answer =
          http.task(
              "{\"jobId\":\"j1\",\"workflowId\":\"run-42\",\"stepId\":\"incr\","
                  + "\"input\":{\"key\":\"count\",\"by\":2,\"times\":3},"
                  + "\"flow\":{\"api\":\""
                  + api.api()
                  + "\",\"token\":\"scoped\",\"traceparent\":\"00-a-b-01\"}}");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().toString()).isEqualTo("{\"output\":{\"done\":3}}");
      assertThat(api.value()).isEqualTo(6);
      assertThat(api.calls())
          .hasSize(3)
          .allSatisfy(
              call -> {
                assertThat(call.method()).isEqualTo("POST");
                assertThat(call.path()).isEqualTo("/api/workflows/run-42/state/count/increment");
                assertThat(call.authorization()).isEqualTo("Bearer scoped");
                assertThat(call.traceparent()).isEqualTo("00-a-b-01");
                assertThat(call.body()).isEqualTo("{\"by\":2}");
              });
    }
  }

  @Test
  void incrReportsAnApiRefusal() throws IOException {
    try (StandInApi api = new StandInApi()) {
      api.answer(
          403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"token is for another run\"}}");
      Answer answer =
          http.task(
              "{\"jobId\":\"j1\",\"workflowId\":\"run-42\",\"handler\":\"incr\","
                  + "\"input\":{\"key\":\"count\"},\"flow\":{\"api\":\""
                  + api.api()
                  + "\",\"token\":\"wrong\"}}");
      assertThat(answer.status()).isEqualTo(422);
      assertThat(answer.error().path("type").asText()).isEqualTo("flow_api");
      assertThat(answer.error().path("message").asText()).endsWith("token is for another run");
      assertThat(answer.error().path("retryable").asBoolean()).isFalse();
    }
  }

  @Test
  void aCheckpointedTaskFailsRetryableAndItsRetryGoesOnFromTheCheckpoint() throws IOException {
    try (StandInApi api = new StandInApi()) {
      String task =
          "{\"jobId\":\"j9\",\"handler\":\"checkpointed\",\"attempt\":%d,%s"
              + "\"input\":{\"steps\":4,\"failAt\":1},\"flow\":{\"api\":\""
              + api.api()
              + "\",\"token\":\"t\"}}";
      Answer first = http.task(task.formatted(1, ""));
      assertThat(first.status()).isEqualTo(422);
      assertThat(first.error().path("retryable").asBoolean()).isTrue();

      Answer retry = http.task(task.formatted(2, "\"checkpoint\":" + api.checkpoint("j9") + ","));

      assertThat(retry.body().toString()).isEqualTo("{\"output\":{\"startedAt\":2,\"done\":4}}");
    }
  }

  @Test
  void aBadPortIsReportedNamingTheVariable() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ExampleAgent.run(
            Map.of("FLOW_AGENT_PORT", "eighty"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("agent: FLOW_AGENT_PORT:");
  }

  @Test
  void aTakenPortIsReported() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ExampleAgent.run(
            Map.of("FLOW_AGENT_PORT", String.valueOf(agent.port())),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("agent: cannot listen:");
  }
}
