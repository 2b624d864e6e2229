package io.agentainer.flow.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.agentainer.flow.sdk.agent.AgentHttp.Answer;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent server over real HTTP on loopback. */
class AgentServerTest {

  private AgentServer server;
  private AgentHttp http;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private AgentServer start(AgentServer.Builder builder) throws IOException {
    server =
        builder
            .port(0)
            .build()
            .handle("echo", TaskContext::input)
            .handle(
                "boom",
                ctx -> {
                  throw new IllegalStateException("boom: broken on purpose");
                })
            .handle(
                "refuse",
                ctx -> {
                  throw TaskFailure.retryable("upstream_down", "the upstream is down");
                })
            .handle(
                "wait",
                ctx -> {
                  long ms = ctx.input().path("ms").asLong();
                  if (ctx.awaitCancellation(Duration.ofMillis(ms))) {
                    ctx.throwIfCancelled();
                  }
                  return Map.of("waited", ms);
                })
            .start();
    http = new AgentHttp(server.port());
    return server;
  }

  private AgentServer start() throws IOException {
    return start(AgentServer.builder());
  }

  private static String task(String jobId, String handler, String input) {
    return "{\"jobId\":\""
        + jobId
        + "\",\"workflowId\":\"wf-1\",\"stepId\":\"s\",\"taskId\":0,\"attempt\":1,"
        + "\"handler\":\""
        + handler
        + "\",\"input\":"
        + input
        + ",\"flow\":{\"api\":null,\"token\":null,\"traceparent\":null}}";
  }

  @Test
  void healthIsUpAndBindsLoopbackOnAPickedPort() throws IOException {
    start();
    Answer health = http.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().toString()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(health.raw().headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(server.port()).isPositive();
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(http.method("HEAD", "/health").status()).isEqualTo(200);
  }

  @Test
  void setsNoDelaySoResponsesAreNotHeldBack() {
    server = AgentServer.builder().port(0).build();
    assertThat(System.getProperty(AgentServer.NODELAY_PROPERTY)).isEqualTo("true");
  }

  @Test
  void aTaskAnswersItsOutput() throws IOException {
    start();
    Answer answer = http.task(task("j1", "echo", "{\"a\":[1,\"two\",null],\"b\":{\"c\":true}}"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().toString())
        .isEqualTo("{\"output\":{\"a\":[1,\"two\",null],\"b\":{\"c\":true}}}");
  }

  @Test
  void theHandlerComesFromTheRequestThenTheDefaultThenTheStepIdsLastSegment() throws IOException {
    start();
    Answer byStep = http.task("{\"jobId\":\"j1\",\"stepId\":\"parent/echo\",\"input\":{\"x\":1}}");
    assertThat(byStep.status()).isEqualTo(200);
    assertThat(byStep.body().path("output").path("x").asInt()).isEqualTo(1);

    server.close();
    start(AgentServer.builder().environment(AgentEnvironment.of(Map.of("FLOW_HANDLER", "echo"))));
    assertThat(server.defaultHandler()).hasValue("echo");
    Answer byDefault = http.task("{\"jobId\":\"j2\",\"stepId\":\"count\",\"input\":7}");
    assertThat(byDefault.body().path("output").asInt()).isEqualTo(7);
    Answer byRequest =
        http.task("{\"jobId\":\"j3\",\"stepId\":\"echo\",\"handler\":\"boom\",\"input\":7}");
    assertThat(byRequest.status()).isEqualTo(500);
  }

  @Test
  void anUnknownHandlerIs404NamingItAndTheKnownOnes() throws IOException {
    start();
    Answer answer = http.task("{\"jobId\":\"j1\",\"stepId\":\"run/count\",\"input\":{}}");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error().path("type").asText()).isEqualTo("unknown_handler");
    assertThat(answer.error().path("message").asText())
        .startsWith("handler: no handler 'count' (from stepId 'run/count')")
        .contains("boom, echo, refuse, wait");
    assertThat(answer.error().path("retryable").asBoolean()).isFalse();
  }

  @Test
  void aRequestWithNoWayToChooseAHandlerIs400() throws IOException {
    start();
    Answer answer = http.task("{\"jobId\":\"j1\",\"input\":{}}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().path("message").asText()).startsWith("handler:");
  }

  @Test
  void malformedRequestsAre400NamingTheField() throws IOException {
    start();
    assertBadRequest(http.task("{\"jobId\": \"j1\", \"input\": "), "body: not valid JSON");
    assertBadRequest(http.task(""), "body: required");
    assertBadRequest(http.task("[1,2]"), "body: must be a JSON object");
    assertBadRequest(http.task("{\"input\":{}}"), "jobId: required");
    assertBadRequest(http.task("{\"jobId\":7}"), "jobId: must be a string");
    assertBadRequest(http.task("{\"jobId\":\"j\",\"attempt\":0}"), "attempt: must be a whole");
    assertBadRequest(http.task("{\"jobId\":\"j\",\"results\":{}}"), "results: must be an array");
    assertBadRequest(http.task("{\"jobId\":\"j\",\"flow\":{\"api\":1}}"), "flow.api: must be");
  }

  private static void assertBadRequest(Answer answer, String messageStart) {
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().path("type").asText()).isEqualTo("bad_request");
    assertThat(answer.error().path("message").asText()).startsWith(messageStart);
    assertThat(answer.error().path("retryable").asBoolean()).isFalse();
  }

  @Test
  void aHandlersFailureIs422WithItsTypeMessageAndRetryable() throws IOException {
    start();
    Answer answer = http.task(task("j1", "refuse", "{}"));
    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.body().toString())
        .isEqualTo(
            "{\"error\":{\"type\":\"upstream_down\",\"message\":\"the upstream is down\","
                + "\"retryable\":true}}");
  }

  @Test
  void anUnexpectedExceptionIs500RetryableWithItsStack() throws IOException {
    start();
    Answer answer = http.task(task("j1", "boom", "{}"));
    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.error().path("type").asText()).isEqualTo("IllegalStateException");
    assertThat(answer.error().path("message").asText()).isEqualTo("boom: broken on purpose");
    assertThat(answer.error().path("retryable").asBoolean()).isTrue();
    assertThat(answer.error().path("stack").asText()).contains("AgentServerTest");
  }

  @Test
  void stacksCanBeLeftOut() throws IOException {
    start(AgentServer.builder().stackTraces(false));
    assertThat(http.task(task("j1", "boom", "{}")).error().has("stack")).isFalse();
  }

  @Test
  void anOutputJacksonCannotWriteIsABadOutputError() throws IOException {
    start();
    server.handle(
        "odd",
        ctx ->
            new Object() {
              public Object getSelf() {
                throw new IllegalStateException("no");
              }
            });
    Answer answer = http.task(task("j1", "odd", "{}"));
    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.error().path("type").asText()).isEqualTo("bad_output");
  }

  @Test
  void cancelStopsARunningTaskWhichAnswersCancelled() throws IOException {
    start();
    long began = System.nanoTime();
    CompletableFuture<Answer> running = http.taskAsync(task("job-7", "wait", "{\"ms\":30000}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.runningTasks() == 1);

    Answer cancel = http.delete("/task/job-7");
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.body().path("jobId").asText()).isEqualTo("job-7");

    Answer answer = running.join();
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.error().path("type").asText()).isEqualTo("cancelled");
    assertThat(answer.error().path("retryable").asBoolean()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
    assertThat(server.runningTasks()).isZero();
  }

  @Test
  void cancelInterruptsAHandlerBlockedInAnInterruptibleCall() throws IOException {
    start();
    AtomicBoolean interrupted = new AtomicBoolean();
    server.handle(
        "block",
        ctx -> {
          try {
            new CompletableFuture<Void>().get(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            interrupted.set(true);
            throw e;
          }
          return null;
        });
    CompletableFuture<Answer> running = http.taskAsync(task("job-8", "block", "{}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.runningTasks() == 1);
    assertThat(http.delete("/task/job-8").status()).isEqualTo(202);
    assertThat(running.join().status()).isEqualTo(409);
    assertThat(interrupted).isTrue();
    // the interrupt did not leak into the pool: the thread serves the next task
    assertThat(http.task(task("j9", "echo", "1")).status()).isEqualTo(200);
  }

  @Test
  void cancellingAJobThatIsNotRunningIs404() throws IOException {
    start();
    Answer answer = http.delete("/task/nope");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error().path("type").asText()).isEqualTo("unknown_job");
    assertThat(answer.error().path("message").asText()).startsWith("jobId: 'nope'");
    assertThat(http.delete("/task/").status()).isEqualTo(400);
  }

  @Test
  void tasksRunConcurrently() throws IOException {
    start();
    int tasks = 4;
    CyclicBarrier barrier = new CyclicBarrier(tasks);
    server.handle(
        "meet",
        ctx -> {
          barrier.await(10, TimeUnit.SECONDS); // times out unless all tasks run at once
          return ctx.taskId();
        });
    List<CompletableFuture<Answer>> answers =
        IntStream.range(0, tasks)
            .mapToObj(
                i ->
                    http.taskAsync(
                        "{\"jobId\":\"j" + i + "\",\"taskId\":" + i + ",\"handler\":\"meet\"}"))
            .toList();
    assertThat(answers.stream().map(CompletableFuture::join).map(Answer::status)).containsOnly(200);
    assertThat(answers.stream().map(a -> a.join().body().path("output").asInt()))
        .containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void beyondMaxConcurrentTasksItIsBusy() throws IOException {
    start(AgentServer.builder().maxConcurrentTasks(1));
    CompletableFuture<Answer> first = http.taskAsync(task("j1", "wait", "{\"ms\":30000}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.runningTasks() == 1);
    Answer second = http.task(task("j2", "echo", "{}"));
    assertThat(second.status()).isEqualTo(503);
    assertThat(second.error().path("type").asText()).isEqualTo("busy");
    assertThat(second.error().path("retryable").asBoolean()).isTrue();
    http.delete("/task/j1");
    assertThat(first.join().status()).isEqualTo(409);
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws IOException {
    start();
    Answer unknown = http.get("/nothing");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error().path("message").asText()).startsWith("path:");
    Answer wrongMethod = http.get("/task");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.raw().headers().firstValue("Allow")).hasValue("POST");
    assertThat(http.post("/health", "{}").status()).isEqualTo(405);
    assertThat(http.get("/task/j1").status()).isEqualTo(405);
  }

  @Test
  void closeLetsRunningTasksFinishWithinTheGrace() throws Exception {
    start(AgentServer.builder().shutdownGrace(Duration.ofSeconds(10)));
    CompletableFuture<Answer> running = http.taskAsync(task("j1", "wait", "{\"ms\":300}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.runningTasks() == 1);
    server.close();
    assertThat(running.join().status()).isEqualTo(200);
    assertThatThrownBy(() -> http.get("/health")).hasRootCauseInstanceOf(IOException.class);
  }

  @Test
  void closeCancelsTasksThatOutliveTheGraceAndRefusesNewOnes() throws Exception {
    start(AgentServer.builder().shutdownGrace(Duration.ofMillis(500)));
    CompletableFuture<Answer> running = http.taskAsync(task("j1", "wait", "{\"ms\":30000}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.runningTasks() == 1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(http.get("/health").status()).isEqualTo(503));
    Answer refused = http.task(task("j2", "echo", "{}"));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.error().path("type").asText()).isEqualTo("shutting_down");
    assertThat(running.join().status()).isEqualTo(409);
    closing.get(10, TimeUnit.SECONDS);
    server.close(); // idempotent
  }

  @Test
  void lifecycleMistakesAreRefused() throws IOException {
    start();
    assertThatThrownBy(() -> server.start()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> server.handle("echo", TaskContext::input))
        .hasMessageContaining("'echo' is registered already");
    assertThatThrownBy(() -> server.handle(" ", TaskContext::input))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.handlerNames()).containsExactly("boom", "echo", "refuse", "wait");
    AgentServer unstarted = AgentServer.builder().port(0).build();
    assertThatThrownBy(unstarted::port).hasMessageContaining("not started");
    unstarted.close();
    assertThatThrownBy(() -> AgentServer.builder().port(70_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AgentServer.builder().maxConcurrentTasks(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyOptionCanBeSet() throws Exception {
    try (StandInApi api = new StandInApi()) {
      start(
          AgentServer.builder()
              .host("127.0.0.1")
              .defaultHandler("bump")
              .warmUp(false)
              .httpClient(java.net.http.HttpClient.newHttpClient())
              .apiTimeout(Duration.ofSeconds(3))
              .apiRetryTime(Duration.ofSeconds(30)));
      server.handle("bump", ctx -> ctx.api().increment("k", 1));
      api.failNext(1, 503, "restarting");
      Answer answer =
          http.task(
              "{\"jobId\":\"j1\",\"workflowId\":\"w\",\"flow\":{\"api\":\""
                  + api.api()
                  + "\",\"token\":\"t\"}}");
      assertThat(answer.body().path("output").asLong()).isEqualTo(1);
      assertThat(api.calls()).extracting(StandInApi.Call::idempotencyKey).containsOnly("j1:1");
    }
    assertThat(AgentServer.fromEnvironment().handlerNames()).isEmpty();
    assertThatThrownBy(() -> AgentServer.builder().apiRetryTime(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTakenPortFailsToStart() throws IOException {
    start();
    AgentServer second = AgentServer.builder().port(server.port()).build();
    assertThatThrownBy(second::start).isInstanceOf(BindException.class);
  }

  @Test
  void whatARequestLeavesOutComesFromTheEnvironment() throws IOException {
    start(
        AgentServer.builder()
            .environment(
                AgentEnvironment.of(
                    Map.of(
                        "FLOW_WORKFLOW_ID", "wf-env",
                        "FLOW_STEP_ID", "step-env",
                        "FLOW_API", "http://127.0.0.1:1/api",
                        "FLOW_TOKEN", "t-env",
                        "TRACEPARENT", "00-abc-def-01"))));
    server.handle(
        "context",
        ctx ->
            Map.of(
                "workflowId", ctx.workflowId().orElseThrow(),
                "stepId", ctx.stepId().orElseThrow(),
                "api", ctx.flow().api(),
                "token", ctx.flow().token(),
                "traceparent", ctx.flow().traceparent(),
                "handler", ctx.handler(),
                "attempt", ctx.attempt(),
                "taskId", ctx.taskId()));
    Answer fromEnv = http.task("{\"jobId\":\"j1\",\"handler\":\"context\"}");
    assertThat(fromEnv.body().path("output").toString())
        .contains("\"workflowId\":\"wf-env\"", "\"stepId\":\"step-env\"", "\"token\":\"t-env\"")
        .contains("\"api\":\"http://127.0.0.1:1/api\"", "\"traceparent\":\"00-abc-def-01\"")
        .contains("\"handler\":\"context\"", "\"attempt\":1", "\"taskId\":0");
    Answer fromRequest =
        http.task(
            "{\"jobId\":\"j1\",\"handler\":\"context\",\"workflowId\":\"wf-req\",\"attempt\":3,"
                + "\"flow\":{\"token\":\"t-req\"}}");
    assertThat(fromRequest.body().path("output").toString())
        .contains("\"workflowId\":\"wf-req\"", "\"token\":\"t-req\"", "\"attempt\":3")
        .contains("\"api\":\"http://127.0.0.1:1/api\"");
  }

  @Test
  void aHandlerCallsItsRunsStateThroughTheApiWithTheRunScopedToken() throws Exception {
    try (StandInApi api = new StandInApi()) {
      start();
      server.handle("bump", ctx -> ctx.api().increment(ctx.input().path("key").asText(), 5));
      server.handle(
          "resume",
          ctx -> {
            ctx.saveCheckpoint(Map.of("step", 2));
            ctx.state().append("log", ctx.checkpoint().orElseThrow());
            return ctx.state().snapshot();
          });
      Answer resumed =
          http.task(
              "{\"jobId\":\"j2\",\"workflowId\":\"wf\",\"handler\":\"resume\","
                  + "\"checkpoint\":{\"step\":1},\"flow\":{\"api\":\""
                  + api.api()
                  + "\",\"token\":\"t\"}}");
      assertThat(resumed.body().path("output").toString()).isEqualTo("{\"log\":[{\"step\":1}]}");
      assertThat(api.checkpoint("j2").toString()).isEqualTo("{\"step\":2}");
      api.calls().clear();
      Answer answer =
          http.task(
              "{\"jobId\":\"j1\",\"workflowId\":\"wf 1\",\"handler\":\"bump\","
                  + "\"input\":{\"key\":\"a/b\"},\"flow\":{\"api\":\""
                  + api.api()
                  + "\",\"token\":\"run-token\",\"traceparent\":\"00-t-s-01\"}}");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().path("output").asLong()).isEqualTo(5);
      StandInApi.Call call = api.calls().get(0);
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.path()).isEqualTo("/api/workflows/wf%201/state/a%2Fb/increment");
      assertThat(call.authorization()).isEqualTo("Bearer run-token");
      assertThat(call.traceparent()).isEqualTo("00-t-s-01");
      assertThat(call.body()).isEqualTo("{\"by\":5}");
    }
  }
}
