package io.agentainer.flow.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A task's run state against the stand-in API: every operation, exactly once, and retries. */
class RunStateTest {

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

  private TaskContext context(TaskRequest.Builder request, ApiSettings settings) {
    return new TaskContext(request.build(), "h", settings);
  }

  private TaskRequest.Builder request(String jobId) {
    return TaskRequest.builder(jobId)
        .workflowId("wf-1")
        .flow(new FlowAccess(api.api(), "tok", "00-trace-01"));
  }

  private RunState state() {
    return context(request("job-1"), RunApiTest.QUICK).state();
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  private List<String> keys() {
    return api.calls().stream().map(StandInApi.Call::idempotencyKey).toList();
  }

  private static void assertFailure(
      ThrowingCallable call, String type, boolean retryable, String... message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.type()).isEqualTo(type);
              assertThat(f.retryable()).isEqualTo(retryable);
              assertThat(f.getMessage()).contains(message);
            });
  }

  record Point(int x, int y) {}

  /** What Jackson cannot write. */
  static final class Broken {
    public String getValue() {
      throw new IllegalStateException("broken");
    }
  }

  // ---- operations ----------------------------------------------------------------------------

  @Test
  void everyOperationCallsItsPathAndAnswersWhatTheApiSays() throws Exception {
    RunState state = state();

    assertThat(state.get("count")).isEmpty();
    assertThat(state.put("count", 5).asLong()).isEqualTo(5);
    assertThat(state.get("count")).hasValue(json("5"));
    assertThat(state.increment("count", 2).asLong()).isEqualTo(7);
    assertThat(state.increment("ratio", new BigDecimal("0.25")).decimalValue())
        .isEqualByComparingTo("0.25");
    state.append("log", "a");
    state.append("log", Map.of("b", 1));
    assertThat(state.addToSet("tags", "x")).isTrue();
    assertThat(state.addToSet("tags", "x")).isFalse();
    assertThat(state.compareAndSwap("owner", null, "me")).isTrue();
    assertThat(state.compareAndSwap("owner", null, "you")).isFalse();
    assertThat(state.compareAndSwap("owner", "me", new Point(1, 2))).isTrue();
    assertThat(state.delete("ratio")).isTrue();
    assertThat(state.delete("ratio")).isFalse();
    Map<String, JsonNode> snapshot = state.snapshot();

    assertThat(snapshot.keySet()).containsExactly("count", "log", "tags", "owner");
    assertThat(snapshot.get("log")).isEqualTo(json("[\"a\",{\"b\":1}]"));
    assertThat(snapshot.get("tags")).isEqualTo(json("[\"x\"]"));
    assertThat(snapshot.get("owner")).isEqualTo(json("{\"x\":1,\"y\":2}"));
    assertThatThrownBy(() -> snapshot.put("k", null))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(api.calls())
        .extracting(call -> call.method() + " " + call.path() + " " + call.body())
        .containsExactly(
            "GET /api/workflows/wf-1/state/count ",
            "PUT /api/workflows/wf-1/state/count {\"value\":5}",
            "GET /api/workflows/wf-1/state/count ",
            "POST /api/workflows/wf-1/state/count/increment {\"by\":2}",
            "POST /api/workflows/wf-1/state/ratio/increment {\"by\":0.25}",
            "POST /api/workflows/wf-1/state/log/append {\"value\":\"a\"}",
            "POST /api/workflows/wf-1/state/log/append {\"value\":{\"b\":1}}",
            "POST /api/workflows/wf-1/state/tags/add-to-set {\"value\":\"x\"}",
            "POST /api/workflows/wf-1/state/tags/add-to-set {\"value\":\"x\"}",
            "POST /api/workflows/wf-1/state/owner/compare-and-swap"
                + " {\"expected\":null,\"value\":\"me\"}",
            "POST /api/workflows/wf-1/state/owner/compare-and-swap"
                + " {\"expected\":null,\"value\":\"you\"}",
            "POST /api/workflows/wf-1/state/owner/compare-and-swap"
                + " {\"expected\":\"me\",\"value\":{\"x\":1,\"y\":2}}",
            "DELETE /api/workflows/wf-1/state/ratio ",
            "DELETE /api/workflows/wf-1/state/ratio ",
            "GET /api/workflows/wf-1/state ");
    assertThat(api.calls())
        .allSatisfy(
            call -> {
              assertThat(call.authorization()).isEqualTo("Bearer tok");
              assertThat(call.traceparent()).isEqualTo("00-trace-01");
            });
  }

  @Test
  void everyChangeIsNumberedInTheTaskAndReadsAreNot() throws Exception {
    RunState state = state();
    state.get("a");
    state.put("a", 1);
    state.snapshot();
    state.increment("a", 1);
    state.delete("a");
    state.append("l", 1);
    state.addToSet("s", 1);
    state.compareAndSwap("c", null, 1);

    assertThat(keys())
        .containsExactly(
            null, "job-1:1", null, "job-1:2", "job-1:3", "job-1:4", "job-1:5", "job-1:6");
  }

  @Test
  void aKeyHoldingNullIsPresentAndAnAbsentKeyIsEmpty() throws Exception {
    RunState state = state();
    state.put("nothing", null);
    assertThat(state.get("nothing"))
        .hasValueSatisfying(value -> assertThat(value.isNull()).isTrue());
    assertThat(state.get("absent")).isEmpty();
    assertThat(api.calls().get(0).body()).isEqualTo("{\"value\":null}");
  }

  @Test
  void theAsyncFormsAnswerTheSameAndAreNumberedInTheOrderTheyStart() throws Exception {
    RunState state = state();
    CompletableFuture<JsonNode> put = state.putAsync("p", 10).toCompletableFuture();
    CompletableFuture<JsonNode> incremented = state.incrementAsync("n", 5).toCompletableFuture();
    assertThat(put.join()).isEqualTo(json("10"));
    assertThat(incremented.join()).isEqualTo(json("5"));
    assertThat(
            state
                .incrementAsync("n", new BigDecimal("1.5"))
                .toCompletableFuture()
                .join()
                .toString())
        .isEqualTo("6.5");
    state.appendAsync("l", List.of(1, 2)).toCompletableFuture().join();
    assertThat(state.addToSetAsync("s", true).toCompletableFuture().join()).isTrue();
    assertThat(state.compareAndSwapAsync("c", null, 3).toCompletableFuture().join()).isTrue();
    assertThat(state.getAsync("c").toCompletableFuture().join()).hasValue(json("3"));
    assertThat(state.deleteAsync("c").toCompletableFuture().join()).isTrue();
    assertThat(state.snapshotAsync().toCompletableFuture().join())
        .containsOnlyKeys("p", "n", "l", "s");

    assertThat(api.state().get("l")).isEqualTo(json("[[1,2]]"));
    List<String> changes = new ArrayList<>(keys());
    changes.removeIf(key -> key == null);
    assertThat(changes)
        .containsExactlyInAnyOrder(
            "job-1:1", "job-1:2", "job-1:3", "job-1:4", "job-1:5", "job-1:6", "job-1:7");
    // numbered when started, whichever arrives first
    assertThat(api.calls().stream().filter(c -> c.method().equals("PUT")).findFirst())
        .hasValueSatisfying(call -> assertThat(call.idempotencyKey()).isEqualTo("job-1:1"));
    assertThat(api.calls().stream().filter(c -> c.body().equals("{\"by\":5}")).findFirst())
        .hasValueSatisfying(call -> assertThat(call.idempotencyKey()).isEqualTo("job-1:2"));
  }

  @Test
  void keysArePercentEncodedPathSegments() throws Exception {
    state().put("a/b c+d?é", "x");
    assertThat(api.calls().get(0).path())
        .isEqualTo("/api/workflows/wf-1/state/a%2Fb%20c%2Bd%3F%C3%A9");
    assertThat(api.state()).containsKey("a/b c+d?é");
  }

  @Test
  void aBadKeyOrValueFailsBeforeAnyCallAndTakesNoNumber() throws Exception {
    RunState state = state();
    assertFailure(() -> state.get(""), TaskFailure.BAD_INPUT, false, "key: required");
    assertFailure(() -> state.put(null, 1), TaskFailure.BAD_INPUT, false, "key: required");
    assertFailure(
        () -> state.increment("k".repeat(513), 1), TaskFailure.BAD_INPUT, false, "key: longer");
    assertFailure(
        () -> state.increment("k", (BigDecimal) null), TaskFailure.BAD_INPUT, false, "by:");
    Broken loop = new Broken();
    assertFailure(
        () -> state.append("k", loop), TaskFailure.BAD_INPUT, false, "value: cannot be written");
    assertFailure(
        () -> state.compareAndSwap("k", loop, 1), TaskFailure.BAD_INPUT, false, "expected:");
    assertThatThrownBy(() -> state.deleteAsync("").toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TaskFailure.class);
    assertThat(api.calls()).isEmpty();

    state.increment("k".repeat(512), 1);
    assertThat(keys()).containsExactly("job-1:1");
  }

  @Test
  void withoutARunAnApiOrATokenItFailsAtOnceNamingWhatIsMissing() {
    FlowAccess flow = new FlowAccess(api.api(), "t", null);
    assertFailure(
        () -> context(TaskRequest.builder("j").flow(flow), RunApiTest.QUICK).state().snapshot(),
        RunApi.FAILURE_TYPE,
        false,
        "workflowId: required");
    assertFailure(
        () ->
            context(
                    request("j").flow(new FlowAccess("http://bad host/api", "t", null)),
                    RunApiTest.QUICK)
                .state()
                .get("k"),
        RunApi.FAILURE_TYPE,
        false,
        "cannot call http://bad host/api/workflows/wf-1/state/k (check flow.api)");
    assertFailure(
        () ->
            context(
                    request("j").flow(new FlowAccess("ftp://host/api", "t", null)),
                    RunApiTest.QUICK)
                .state()
                .put("k", 1),
        RunApi.FAILURE_TYPE,
        false,
        "cannot call ftp://host/api/workflows/wf-1/state/k");
    assertThat(api.calls()).isEmpty();
  }

  // ---- answers -------------------------------------------------------------------------------

  @Test
  void aChangeThatDoesNotFitTheValueFailsForGoodWithTheServersMessage() throws Exception {
    RunState state = state();
    state.put("name", "text");
    assertFailure(
        () -> state.increment("name", 1),
        RunApi.FAILURE_TYPE,
        false,
        "POST ",
        "/state/name/increment: HTTP 409: name: holds no number");
    assertFailure(
        () -> state.append("name", 1), RunApi.FAILURE_TYPE, false, "HTTP 409: name: holds no list");
    assertThat(api.calls()).hasSize(3);
  }

  @Test
  void anAnswerWithoutTheExpectedFieldsIsAFailure() throws Exception {
    RunState state = state();
    api.failNext(1, 200, "{}");
    assertFailure(() -> state.addToSet("s", 1), RunApi.FAILURE_TYPE, true, "without 'added'");
    api.failNext(1, 200, "[1]");
    assertFailure(state::snapshot, RunApi.FAILURE_TYPE, true, "not an object");
    api.failNext(1, 200, "{not json");
    assertFailure(() -> state.get("k"), RunApi.FAILURE_TYPE, true, "unreadable answer");
    api.failNext(1, 200, "{}");
    assertThat(state.get("k")).hasValueSatisfying(v -> assertThat(v.isNull()).isTrue());
  }

  // ---- retries -------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {0, 408, 429, 502, 503, 504})
  void aTransientFailureIsTriedAgainWithTheSameKey(int status) throws Exception {
    RunState state = state();
    api.failNext(2, status, "{\"error\":{\"message\":\"restarting\"}}");

    assertThat(state.increment("hits", 3).asLong()).isEqualTo(3);

    assertThat(api.calls()).hasSize(3);
    assertThat(keys()).containsOnly("job-1:1");
    assertThat(api.value()).isEqualTo(3);
  }

  @Test
  void readsAreTriedAgainToo() throws Exception {
    api.failNext(1, 503, "busy");
    assertThat(state().snapshot()).isEmpty();
    assertThat(api.calls()).hasSize(2);
  }

  @Test
  void aTransientFailureThatLastsFailsRetryableAfterTheRetryTime() {
    api.answer(503, "{\"error\":{\"message\":\"Redis is down\"}}");
    assertFailure(
        () -> state().increment("k", 1),
        RunApi.FAILURE_TYPE,
        true,
        "HTTP 503: Redis is down (tried ");
    assertThat(api.calls()).hasSizeGreaterThan(1);
    assertThat(keys()).containsOnly("job-1:1");
  }

  @Test
  void withNoRetryTimeItTriesOnce() {
    api.answer(502, "bad gateway");
    RunState state = context(request("j"), RunApiTest.QUICK.withRetryTime(Duration.ZERO)).state();
    assertThatThrownBy(() -> state.put("k", 1))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.retryable()).isTrue();
              assertThat(f.getMessage()).endsWith("HTTP 502: bad gateway");
            });
    assertThat(api.calls()).hasSize(1);
  }

  @Test
  void otherServerErrorsFailRetryableAtOnceAndClientErrorsForGood() {
    RunState state = state();
    api.answer(500, "{\"error\":{\"message\":\"bug\"}}");
    assertFailure(() -> state.put("k", 1), RunApi.FAILURE_TYPE, true, "HTTP 500: bug");
    assertThat(api.calls()).hasSize(1);
    api.answer(403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"another run\"}}");
    assertFailure(() -> state.put("k", 1), RunApi.FAILURE_TYPE, false, "HTTP 403: another run");
    assertThat(api.calls()).hasSize(2);
  }

  @Test
  void anUnreachableApiIsTriedUntilTheRetryTimeThenFailsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RunState state =
        context(
                request("j").flow(new FlowAccess("http://127.0.0.1:" + closedPort, "t", null)),
                RunApiTest.QUICK)
            .state();
    assertFailure(() -> state.increment("k", 1), RunApi.FAILURE_TYPE, true, "cannot reach the API");
  }

  @Test
  void anAnswerThatTakesTooLongIsTransient() throws Exception {
    ApiSettings slow =
        new ApiSettings(
            ApiSettings.DEFAULT_CLIENT,
            Duration.ofMillis(200),
            Duration.ZERO,
            Duration.ofMillis(1),
            Duration.ofMillis(1));
    api.holdAnswers();
    assertFailure(
        () -> context(request("j"), slow).state().get("k"),
        RunApi.FAILURE_TYPE,
        true,
        "no answer in 200 ms");
  }

  @Test
  void aCancelledTaskStopsRetrying() {
    TaskContext context =
        context(request("j"), RunApiTest.QUICK.withRetryTime(Duration.ofMinutes(1)));
    context.cancel();
    api.answer(503, "busy");
    assertFailure(
        () -> context.state().increment("k", 1), TaskFailure.CANCELLED, false, "was cancelled");
    assertThat(api.calls()).hasSize(1);
  }

  @Test
  void anInterruptStopsABlockingCallAndItsRetries() throws Exception {
    api.answer(503, "busy");
    RunState state =
        context(request("j"), RunApiTest.QUICK.withRetryTime(Duration.ofMinutes(1))).state();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                state.increment("k", 1);
              } catch (Throwable e) {
                outcome.set(e);
              }
            });
    caller.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> api.calls().size() >= 3);
    caller.interrupt();
    caller.join(Duration.ofSeconds(5).toMillis());

    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertNoMoreCallsThan(api.calls().size() + 1);
  }

  @Test
  void cancellingAnAsyncCallStopsItsRetries() {
    api.answer(503, "busy");
    RunState state =
        context(request("j"), RunApiTest.QUICK.withRetryTime(Duration.ofMinutes(1))).state();
    CompletableFuture<JsonNode> call = state.incrementAsync("k", 1).toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> api.calls().size() >= 3);

    assertThat(call.cancel(true)).isTrue();

    assertThat(call).isCancelled();
    assertNoMoreCallsThan(api.calls().size() + 1);
  }

  /** At most {@code most} calls (one may have been on its way), and none more for 300 ms. */
  private void assertNoMoreCallsThan(int most) {
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> api.calls().size() <= most);
  }

  // ---- exactly once --------------------------------------------------------------------------

  @Test
  void aRetriedAttemptThatMakesTheSameChangesCountsEachOnce() throws Exception {
    for (int attempt = 1; attempt <= 2; attempt++) {
      RunState state = context(request("job-7").attempt(attempt), RunApiTest.QUICK).state();
      state.increment("hits", 2);
      state.append("log", "entry");
      state.increment("hits", 3);
    }
    assertThat(api.state().get("hits").asLong()).isEqualTo(5);
    assertThat(api.state().get("log")).isEqualTo(json("[\"entry\"]"));
    assertThat(api.value()).isEqualTo(5);
    assertThat(keys())
        .containsExactly("job-7:1", "job-7:2", "job-7:3", "job-7:1", "job-7:2", "job-7:3");
  }

  @Test
  void aJobIdThatCannotBeAHeaderIsHashed() throws Exception {
    context(request("job with spaces"), RunApiTest.QUICK).state().increment("k", 1);
    context(request("j".repeat(300)), RunApiTest.QUICK).state().increment("k", 1);
    assertThat(keys())
        .allSatisfy(
            key -> {
              assertThat(key).matches("sha256-[0-9a-f]{64}:1");
              assertThat(key.length()).isLessThanOrEqualTo(ChangeKeys.MAX_LENGTH);
            });
    assertThat(keys().get(0)).isNotEqualTo(keys().get(1));
  }

  // ---- settings ------------------------------------------------------------------------------

  @Test
  void pausesDoubleUpToTheMostLessAJitterOfUpToHalf() {
    ApiSettings settings =
        new ApiSettings(
            ApiSettings.DEFAULT_CLIENT,
            Duration.ofSeconds(1),
            Duration.ofMinutes(2),
            Duration.ofMillis(100),
            Duration.ofSeconds(5));
    for (int i = 0; i < 50; i++) {
      assertThat(settings.backoffNanos(1)).isBetween(50_000_000L, 100_000_000L);
      assertThat(settings.backoffNanos(3)).isBetween(200_000_000L, 400_000_000L);
      assertThat(settings.backoffNanos(7)).isBetween(2_500_000_000L, 5_000_000_000L);
      assertThat(settings.backoffNanos(1000)).isBetween(2_500_000_000L, 5_000_000_000L);
    }
    assertThat(ApiSettings.DEFAULT.retryTime()).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> settings.withRetryTime(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("retryTime:");
    assertThatThrownBy(
            () ->
                new ApiSettings(
                    ApiSettings.DEFAULT_CLIENT,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ofMillis(1),
                    Duration.ofMillis(1)))
        .hasMessageStartingWith("timeout:");
  }
}
