package io.agentainer.flow.sdk.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.sdk.agent.FlowAccess;
import io.agentainer.flow.sdk.agent.StandInApi;
import io.agentainer.flow.sdk.agent.TaskContext;
import io.agentainer.flow.sdk.agent.TaskFailure;
import io.agentainer.flow.sdk.agent.TaskRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Each example handler, called directly with a local context. */
class ExampleHandlersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static TaskContext context(String input) {
    return TaskContext.of(TaskRequest.builder("job-1").input(json(input)).build());
  }

  private static TaskContext attempt(int attempt, String input) {
    return TaskContext.of(TaskRequest.builder("job-1").attempt(attempt).input(json(input)).build());
  }

  private static void assertBadInput(ThrowingCallable call, String messageStart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.type()).isEqualTo(TaskFailure.BAD_INPUT);
              assertThat(f.retryable()).isFalse();
              assertThat(f.getMessage()).startsWith(messageStart);
            });
  }

  @Test
  void allHandlersOfTheContractAreThere() {
    assertThat(new ExampleHandlers().all())
        .containsOnlyKeys(
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
  }

  @Test
  void whoamiTellsTheTasksMetadataWithoutShowingTheToken() {
    java.util.Map<String, Object> out = ExampleHandlers.whoami(context("{}"));
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> request = (java.util.Map<String, Object>) out.get("request");
    assertThat(request)
        .containsKeys("jobId", "workflowId", "stepId", "taskId", "attempt", "hasToken");
    assertThat(out.toString()).doesNotContain("secret-token");
    assertThat(out).containsKey("env");
  }

  @Test
  void echoAnswersItsInput() {
    JsonNode input = json("{\"a\":[1,{\"b\":null}],\"s\":\"\\u00e9\"}");
    assertThat(ExampleHandlers.echo(context(input.toString()))).isEqualTo(input);
    assertThat(ExampleHandlers.echo(context("null")).isNull()).isTrue();
  }

  @Test
  void sleepWaitsTheGivenTime() throws Exception {
    long began = System.nanoTime();
    assertThat(ExampleHandlers.sleep(context("{\"ms\":50}")).toString())
        .isEqualTo("{\"slept\":50}");
    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void sleepEndsEarlyAsCancelled() {
    TaskContext context = context("{\"ms\":60000}");
    CompletableFuture<JsonNode> sleeping =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ExampleHandlers.sleep(context);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    context.cancel();
    assertThatThrownBy(() -> sleeping.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TaskFailure.class)
        .hasMessageContaining("cancelled");
  }

  @Test
  void sleepNeedsAWholeNonNegativeMs() {
    assertBadInput(() -> ExampleHandlers.sleep(context("{}")), "input.ms: required");
    assertBadInput(() -> ExampleHandlers.sleep(context("{\"ms\":-1}")), "input.ms: must be");
    assertBadInput(() -> ExampleHandlers.sleep(context("{\"ms\":\"5\"}")), "input.ms: must be");
    assertBadInput(() -> ExampleHandlers.sleep(context("[1]")), "input: must be an object");
  }

  @Test
  void failFailsNotRetryableByDefaultWithADefaultMessage() {
    assertThatThrownBy(() -> ExampleHandlers.fail(context("null")))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.type()).isEqualTo("failed");
              assertThat(f.retryable()).isFalse();
              assertThat(f.getMessage()).startsWith(ExampleHandlers.DEFAULT_FAIL_MESSAGE);
            });
  }

  @Test
  void failTakesRetryableAndTheMessageFromTheInput() {
    assertThatThrownBy(
            () -> ExampleHandlers.fail(context("{\"retryable\":true,\"message\":\"disk full\"}")))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.retryable()).isTrue();
              assertThat(f.getMessage()).isEqualTo("disk full (attempt 1)");
            });
  }

  @Test
  void failWithFailTimesFailsThatManyAttemptsThenSucceeds() {
    String input = "{\"failTimes\":2,\"retryable\":true}";
    assertThatThrownBy(() -> ExampleHandlers.fail(attempt(1, input)))
        .isInstanceOf(TaskFailure.class);
    assertThatThrownBy(() -> ExampleHandlers.fail(attempt(2, input)))
        .isInstanceOf(TaskFailure.class);
    assertThat(ExampleHandlers.fail(attempt(3, input)).toString()).isEqualTo("{\"attempt\":3}");
    assertThat(ExampleHandlers.fail(attempt(1, "{\"failTimes\":0}")).path("attempt").asInt())
        .isEqualTo(1);
  }

  @Test
  void failChecksItsInput() {
    assertBadInput(
        () -> ExampleHandlers.fail(context("{\"retryable\":\"yes\"}")), "input.retryable");
    assertBadInput(() -> ExampleHandlers.fail(context("{\"message\":5}")), "input.message");
    assertBadInput(() -> ExampleHandlers.fail(context("{\"failTimes\":-2}")), "input.failTimes");
  }

  @Test
  void crashWritesALineAndHaltsWith137() {
    List<Integer> halted = new ArrayList<>();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExampleHandlers handlers =
        new ExampleHandlers(halted::add, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> handlers.crash(context("{}")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(halted).containsExactly(137);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("crash: job job-1");
  }

  @Test
  void splitPassesDocsThrough() {
    assertThat(ExampleHandlers.split(context("{\"docs\":[\"a b\",\"c\"]}")).toString())
        .isEqualTo("{\"docs\":[\"a b\",\"c\"]}");
    assertThat(ExampleHandlers.split(context("{\"docs\":[]}")).path("docs").size()).isZero();
  }

  @Test
  void splitCutsTextIntoChunksOfLines() {
    JsonNode output =
        ExampleHandlers.split(
            context("{\"text\":\"one\\ntwo\\r\\nthree\\nfour\\nfive\\n\",\"lines\":2}"));
    assertThat(output.toString()).isEqualTo("{\"docs\":[\"one\\ntwo\",\"three\\nfour\",\"five\"]}");
    assertThat(ExampleHandlers.split(context("{\"text\":\"\",\"lines\":3}")).path("docs").size())
        .isZero();
  }

  @Test
  void splitChecksItsInput() {
    assertBadInput(() -> ExampleHandlers.split(context("{}")), "input.docs: required");
    assertBadInput(() -> ExampleHandlers.split(context("{\"docs\":\"a\"}")), "input.docs: must");
    assertBadInput(() -> ExampleHandlers.split(context("{\"docs\":[\"a\",1]}")), "input.docs[1]");
    assertBadInput(() -> ExampleHandlers.split(context("{\"text\":1,\"lines\":1}")), "input.text");
    assertBadInput(
        () -> ExampleHandlers.split(context("{\"text\":\"a\"}")), "input.lines: required");
    assertBadInput(
        () -> ExampleHandlers.split(context("{\"text\":\"a\",\"lines\":0}")), "input.lines: must");
  }

  @Test
  void wordcountCountsMaximalRunsOfAsciiLettersLowerCased() {
    JsonNode output =
        ExampleHandlers.wordcount(
            context("{\"item\":\"The cat, the CAT-dog; don't caf\\u00e9 42x\",\"index\":0}"));
    assertThat(output.toString())
        .isEqualTo(
            "{\"words\":{\"caf\":1,\"cat\":2,\"dog\":1,\"don\":1,\"t\":1,\"the\":2,\"x\":1},"
                + "\"total\":9}");
    assertThat(ExampleHandlers.wordcount(context("{\"item\":\" 1 2 \"}")).toString())
        .isEqualTo("{\"words\":{},\"total\":0}");
  }

  @Test
  void wordcountNeedsAStringItem() {
    assertBadInput(() -> ExampleHandlers.wordcount(context("{}")), "input.item: required");
    assertBadInput(() -> ExampleHandlers.wordcount(context("{\"item\":[]}")), "input.item: must");
  }

  @Test
  void sumAddsTheSucceededResultsAndCountsTheFailed() {
    JsonNode results =
        json(
            "[{\"taskId\":0,\"status\":\"SUCCEEDED\",\"output\":{\"words\":{\"a\":2,\"b\":1},"
                + "\"total\":3}},"
                + "{\"taskId\":1,\"status\":\"FAILED\",\"error\":{\"message\":\"x\"}},"
                + "{\"taskId\":2,\"status\":\"SUCCEEDED\",\"output\":{\"words\":{\"b\":4}}},"
                + "{\"taskId\":3,\"status\":\"SUCCEEDED\",\"output\":10},"
                + "{\"taskId\":4,\"status\":\"CANCELLED\"}]");
    TaskContext context =
        TaskContext.of(TaskRequest.builder("j").input(json("{}")).results(results).build());
    assertThat(ExampleHandlers.sum(context).toString())
        .isEqualTo("{\"words\":{\"a\":2,\"b\":5},\"total\":17,\"succeeded\":3,\"failed\":2}");
  }

  @Test
  void sumTakesInputResultsWhenTheRequestHasNone() {
    JsonNode output =
        ExampleHandlers.sum(
            context("{\"results\":[{\"status\":\"SUCCEEDED\",\"output\":{\"total\":4}}]}"));
    assertThat(output.path("total").asLong()).isEqualTo(4);
    assertThat(ExampleHandlers.sum(context("{\"results\":[]}")).toString())
        .isEqualTo("{\"words\":{},\"total\":0,\"succeeded\":0,\"failed\":0}");
  }

  @Test
  void sumChecksItsResults() {
    assertBadInput(() -> ExampleHandlers.sum(context("{}")), "input.results: required");
    assertBadInput(() -> ExampleHandlers.sum(context("{\"results\":{}}")), "input.results: must");
    assertBadInput(() -> ExampleHandlers.sum(context("{\"results\":[1]}")), "input.results[0]:");
    assertBadInput(
        () -> ExampleHandlers.sum(context("{\"results\":[{\"taskId\":0}]}")),
        "input.results[0].status");
    assertBadInput(
        () ->
            ExampleHandlers.sum(
                context(
                    "{\"results\":[{\"status\":\"SUCCEEDED\",\"output\":{\"words\":{\"a\":\"1\"}}}]}")),
        "input.results[0].output.words.a");
    assertBadInput(
        () ->
            ExampleHandlers.sum(
                context("{\"results\":[{\"status\":\"SUCCEEDED\",\"output\":{\"words\":[]}}]}")),
        "input.results[0].output.words");
    assertBadInput(
        () ->
            ExampleHandlers.sum(
                context("{\"results\":[{\"status\":\"SUCCEEDED\",\"output\":{\"total\":\"x\"}}]}")),
        "input.results[0].output.total");
  }

  @Test
  void incrIncrementsTheKeyByTimesThroughTheRunScopedApi() throws Exception {
    try (StandInApi api = new StandInApi()) {
      TaskContext context =
          TaskContext.of(
              TaskRequest.builder("j")
                  .workflowId("wf-9")
                  .input(json("{\"key\":\"hits\",\"by\":3,\"times\":4}"))
                  .flow(new FlowAccess(api.api(), "run-token", null))
                  .build());
      assertThat(ExampleHandlers.incr(context).toString()).isEqualTo("{\"done\":4}");
      assertThat(api.value()).isEqualTo(12);
      assertThat(api.calls())
          .hasSize(4)
          .allSatisfy(
              call -> {
                assertThat(call.path()).isEqualTo("/api/workflows/wf-9/state/hits/increment");
                assertThat(call.authorization()).isEqualTo("Bearer run-token");
                assertThat(call.body()).isEqualTo("{\"by\":3}");
              });
    }
  }

  @Test
  void incrDefaultsToOnceByOneAndSendsDecimals() throws Exception {
    try (StandInApi api = new StandInApi()) {
      TaskRequest.Builder request =
          TaskRequest.builder("j").workflowId("w").flow(new FlowAccess(api.api(), "t", null));
      assertThat(
              ExampleHandlers.incr(TaskContext.of(request.input(json("{\"key\":\"k\"}")).build()))
                  .path("done")
                  .asLong())
          .isEqualTo(1);
      assertThat(api.calls().get(0).body()).isEqualTo("{\"by\":1}");
      ExampleHandlers.incr(
          TaskContext.of(request.input(json("{\"key\":\"k\",\"by\":0.5}")).build()));
      assertThat(api.calls().get(1).body()).isEqualTo("{\"by\":0.5}");
      ExampleHandlers.incr(
          TaskContext.of(request.input(json("{\"key\":\"k\",\"times\":0}")).build()));
      assertThat(api.calls()).hasSize(2);
    }
  }

  @Test
  void incrStopsWhenCancelledAndChecksItsInput() {
    TaskContext cancelled = context("{\"key\":\"k\",\"times\":5}");
    cancelled.cancel();
    assertThatThrownBy(() -> ExampleHandlers.incr(cancelled))
        .isInstanceOfSatisfying(
            TaskFailure.class, f -> assertThat(f.type()).isEqualTo(TaskFailure.CANCELLED));
    assertBadInput(() -> ExampleHandlers.incr(context("{}")), "input.key: required");
    assertBadInput(() -> ExampleHandlers.incr(context("{\"key\":1}")), "input.key: must");
    assertBadInput(() -> ExampleHandlers.incr(context("{\"key\":\"k\",\"by\":\"2\"}")), "input.by");
    assertBadInput(
        () -> ExampleHandlers.incr(context("{\"key\":\"k\",\"times\":-1}")), "input.times");
  }

  private static TaskRequest.Builder withApi(StandInApi api, String jobId) {
    return TaskRequest.builder(jobId).workflowId("wf").flow(new FlowAccess(api.api(), "t", null));
  }

  @Test
  void incrCountsEachIncrementOnceWhenARetriedAttemptMakesItAgain() throws Exception {
    try (StandInApi api = new StandInApi()) {
      for (int attempt = 1; attempt <= 2; attempt++) {
        ExampleHandlers.incr(
            TaskContext.of(
                withApi(api, "j")
                    .attempt(attempt)
                    .input(json("{\"key\":\"hits\",\"times\":3}"))
                    .build()));
      }
      assertThat(api.state().get("hits").asLong()).isEqualTo(3);
      assertThat(api.calls())
          .extracting(StandInApi.Call::idempotencyKey)
          .containsExactly("j:1", "j:2", "j:3", "j:1", "j:2", "j:3");
    }
  }

  @Test
  void appendAddsPrefixedElementsOnceEach() throws Exception {
    try (StandInApi api = new StandInApi()) {
      TaskRequest.Builder task =
          withApi(api, "j").stepId("fan").taskId(2).input(json("{\"key\":\"l\",\"times\":3}"));
      assertThat(ExampleHandlers.append(TaskContext.of(task.build())).toString())
          .isEqualTo("{\"done\":3}");
      ExampleHandlers.append(TaskContext.of(task.attempt(2).build()));
      ExampleHandlers.append(
          TaskContext.of(withApi(api, "by-hand").input(json("{\"key\":\"l\"}")).build()));
      ExampleHandlers.append(
          TaskContext.of(
              withApi(api, "k")
                  .stepId("s")
                  .input(json("{\"key\":\"l\",\"times\":2,\"prefix\":\"p\"}"))
                  .build()));
      assertThat(api.state().get("l"))
          .isEqualTo(json("[\"2-0\",\"2-1\",\"2-2\",\"by-hand-0\",\"p-0\",\"p-1\"]"));
      assertThat(
              ExampleHandlers.append(
                      TaskContext.of(
                          withApi(api, "z").input(json("{\"key\":\"l\",\"times\":0}")).build()))
                  .path("done")
                  .asLong())
          .isZero();
    }
  }

  @Test
  void appendChecksItsInputAndStopsWhenCancelled() {
    assertBadInput(() -> ExampleHandlers.append(context("{}")), "input.key: required");
    assertBadInput(() -> ExampleHandlers.append(context("{\"key\":\"\"}")), "input.key: must");
    assertBadInput(
        () -> ExampleHandlers.append(context("{\"key\":\"k\",\"times\":-1}")), "input.times");
    assertBadInput(
        () -> ExampleHandlers.append(context("{\"key\":\"k\",\"prefix\":1}")), "input.prefix");
    TaskContext cancelled = context("{\"key\":\"k\"}");
    cancelled.cancel();
    assertThatThrownBy(() -> ExampleHandlers.append(cancelled))
        .isInstanceOfSatisfying(
            TaskFailure.class, f -> assertThat(f.type()).isEqualTo(TaskFailure.CANCELLED));
  }

  @Test
  void checkpointedFailsOnceAfterTheCheckpointOfFailAtAndTheRetryGoesOnFromThere()
      throws Exception {
    try (StandInApi api = new StandInApi()) {
      TaskRequest.Builder task = withApi(api, "j").input(json("{\"steps\":5,\"failAt\":2}"));
      assertThatThrownBy(() -> ExampleHandlers.checkpointed(TaskContext.of(task.build())))
          .isInstanceOfSatisfying(
              TaskFailure.class,
              f -> {
                assertThat(f.retryable()).isTrue();
                assertThat(f.getMessage()).contains("after step 2");
              });
      assertThat(api.checkpoint("j")).isEqualTo(json("{\"next\":3}"));

      JsonNode output =
          ExampleHandlers.checkpointed(
              TaskContext.of(task.attempt(2).checkpoint(api.checkpoint("j")).build()));

      assertThat(output.toString()).isEqualTo("{\"startedAt\":3,\"done\":5}");
      assertThat(api.calls())
          .extracting(StandInApi.Call::body)
          .containsExactly(
              "{\"value\":{\"next\":1}}",
              "{\"value\":{\"next\":2}}",
              "{\"value\":{\"next\":3}}",
              "{\"value\":{\"next\":4}}",
              "{\"value\":{\"next\":5}}");
    }
  }

  @Test
  void checkpointedWithoutFailAtOrOnALaterAttemptRunsEveryStep() throws Exception {
    try (StandInApi api = new StandInApi()) {
      assertThat(
              ExampleHandlers.checkpointed(
                      TaskContext.of(withApi(api, "a").input(json("{\"steps\":2}")).build()))
                  .toString())
          .isEqualTo("{\"startedAt\":0,\"done\":2}");
      assertThat(
              ExampleHandlers.checkpointed(
                      TaskContext.of(
                          withApi(api, "b")
                              .attempt(2)
                              .input(json("{\"steps\":1,\"failAt\":0}"))
                              .build()))
                  .path("startedAt")
                  .asLong())
          .isZero();
      assertThat(
              ExampleHandlers.checkpointed(
                      TaskContext.of(
                          withApi(api, "c")
                              .checkpoint(json("{\"next\":7}"))
                              .input(json("{\"steps\":3}"))
                              .build()))
                  .toString())
          .isEqualTo("{\"startedAt\":7,\"done\":3}");
      assertThat(api.checkpoint("a")).isEqualTo(json("{\"next\":2}"));
      assertThat(api.checkpoint("c")).isNull();
    }
  }

  @Test
  void checkpointedChecksItsInputAndCheckpoint() {
    assertBadInput(() -> ExampleHandlers.checkpointed(context("{}")), "input.steps: required");
    assertBadInput(
        () -> ExampleHandlers.checkpointed(context("{\"steps\":1,\"failAt\":-1}")), "input.failAt");
    assertBadInput(
        () ->
            ExampleHandlers.checkpointed(
                TaskContext.of(
                    TaskRequest.builder("j")
                        .input(json("{\"steps\":1}"))
                        .checkpoint(json("{\"next\":\"x\"}"))
                        .build())),
        "checkpoint.next");
    TaskContext cancelled = context("{\"steps\":1}");
    cancelled.cancel();
    assertThatThrownBy(() -> ExampleHandlers.checkpointed(cancelled))
        .isInstanceOfSatisfying(
            TaskFailure.class, f -> assertThat(f.type()).isEqualTo(TaskFailure.CANCELLED));
  }
}
