package io.agentainer.flow.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link WorkflowClient} against a stand-in API on loopback: typed exceptions, which calls are
 * retried and how often, and that answers arrive on the client's threads. Pauses between attempts
 * are recorded and shortened to 1 ms, not slept.
 */
@Timeout(60)
class WorkflowClientTest {

  static final String RUN_ID = FlowClientRunsTest.RUN_ID;
  static final String RUN = "/api/workflows/" + RUN_ID;
  static final String RUNS = "/api/definitions/wordcount/runs";
  static final Duration WAIT = Duration.ofSeconds(10);

  static final String UNAVAILABLE =
      "{\"error\":{\"code\":\"unavailable\",\"message\":\"the database is down\"}}";

  private final ObjectMapper mapper = new ObjectMapper();
  private final List<Integer> retries = new CopyOnWriteArrayList<>();
  private FakeApi api;
  private WorkflowClient client;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    api.close();
  }

  private WorkflowClient.Builder builder() {
    return WorkflowClient.builder()
        .baseUrl(api.api())
        .token("secret")
        .delays(
            retry -> {
              retries.add(retry);
              return Duration.ofMillis(1);
            });
  }

  private WorkflowClient client() {
    client = builder().build();
    return client;
  }

  private static String error(String code, String message) {
    return "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}".formatted(code, message);
  }

  /** The exception a future failed with, as {@code get()} reports it. */
  private static Throwable failure(CompletableFuture<?> future) {
    try {
      Object value = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("the future did not fail: it answered " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the future did not fail in time", e);
    }
  }

  // typed exceptions

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "400, InvalidRequestException",
    "422, InvalidRequestException",
    "401, UnauthorizedException",
    "403, UnauthorizedException",
    "404, NotFoundException",
    "409, ConflictException",
    "429, UnavailableException",
    "502, UnavailableException",
    "503, UnavailableException",
    "504, UnavailableException",
    "500, FlowClientException",
    "418, FlowClientException"
  })
  void eachStatusFailsWithItsType(int status, String type) {
    client = builder().retries(1).build();
    api.json("GET", RUN, status, error("some_code", "it went wrong"));

    Throwable e = failure(client.status(RUN_ID));

    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    FlowClientException typed = (FlowClientException) e;
    assertThat(typed.status()).isEqualTo(status);
    assertThat(typed.code()).isEqualTo("some_code");
    assertThat(typed.getMessage()).isEqualTo("it went wrong");
    if (typed.getClass() != FlowClientException.class) {
      assertThat(typed.getCause())
          .isExactlyInstanceOf(FlowClientException.class)
          .hasMessage("it went wrong");
    }
  }

  @Test
  void joinWrapsTheTypedExceptionInACompletionException() {
    api.json("GET", RUN, 404, error("not_found", "no workflow " + RUN_ID));

    CompletableFuture<Run> future = client().status(RUN_ID);

    assertThatThrownBy(future::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(NotFoundException.class)
        .hasMessage("no workflow " + RUN_ID);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    future.whenComplete((run, e) -> seen.set(e));
    assertThat(seen.get()).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aRefusedInputIsNotRetriedAndCarriesItsProblems() {
    api.json(
        "POST",
        RUNS,
        400,
        "{\"error\":{\"code\":\"invalid_input\",\"message\":\"input.docs: is required\","
            + "\"details\":{\"field\":\"input.docs\",\"problems\":["
            + "{\"path\":\"input.docs\",\"message\":\"is required\"}]}}}");

    Throwable e = failure(client().start("wordcount", Map.of(), "key-1"));

    assertThat(e)
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            invalid -> {
              assertThat(invalid.code()).isEqualTo("invalid_input");
              assertThat(invalid.details()).containsEntry("field", "input.docs");
              assertThat(invalid.problems())
                  .containsExactly(new Problem("input.docs", "is required"));
            });
    assertThat(api.requests()).hasSize(1);
    assertThat(retries).isEmpty();
  }

  @Test
  void anInvalidDefinitionIsAnInvalidRequestWithEveryProblem() {
    api.json("POST", "/api/definitions", 400, FlowClientRunsTest.INVALID);

    Throwable e = failure(client().register(FlowClientRunsTest.YAML, "yaml"));

    assertThat(e).isInstanceOf(InvalidRequestException.class);
    assertThat(((FlowClientException) e).problems()).hasSize(2);
    assertThat(api.requests()).hasSize(1);
  }

  // retries

  @Test
  void aReadIsRetriedUntilTheServerAnswers() throws Exception {
    api.json("GET", RUN, 503, UNAVAILABLE)
        .json("GET", RUN, 503, UNAVAILABLE)
        .json("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "RUNNING"));

    Run run = client().status(RUN_ID).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(run.status()).isEqualTo("RUNNING");
    assertThat(api.requests()).hasSize(3);
    assertThat(retries).containsExactly(1, 2);
  }

  @Test
  void aReadGivesUpAfterItsLastAttempt() {
    api.json("GET", RUN + "/state", 503, UNAVAILABLE);

    client = builder().retries(3).build();

    Throwable e = failure(client.state(RUN_ID));

    assertThat(e).isInstanceOf(UnavailableException.class).hasMessage("the database is down");
    assertThat(api.requests()).hasSize(3);
    assertThat(retries).containsExactly(1, 2);
  }

  @Test
  void aStartWithAKeyIsRetriedWithTheSameKeyAndAnswersTheOneRun() throws Exception {
    api.json("POST", RUNS, 503, UNAVAILABLE)
        .json("POST", RUNS, 502, "bad gateway")
        .json(
            "POST",
            RUNS,
            202,
            "{\"id\":\"" + RUN_ID + "\",\"status\":\"PENDING\",\"created\":true}");

    RunRef ref =
        client()
            .start("wordcount", Map.of("docs", List.of("a b")), "nightly-2025-01-02")
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(ref.id()).isEqualTo(RUN_ID);
    assertThat(ref.created()).isTrue();
    assertThat(api.requests()).hasSize(3);
    for (FakeApi.Request request : api.requests()) {
      assertThat(mapper.readTree(request.body()).path("idempotencyKey").asText())
          .isEqualTo("nightly-2025-01-02");
      assertThat(mapper.readTree(request.body()).path("input").path("docs").get(0).asText())
          .isEqualTo("a b");
    }
  }

  @Test
  void aStartWithoutAKeyIsSentOnce() {
    api.json("POST", RUNS, 503, UNAVAILABLE)
        .json("POST", RUNS, 202, "{\"id\":\"" + RUN_ID + "\",\"status\":\"PENDING\"}");

    Throwable e = failure(client().start("wordcount", Map.of()));

    assertThat(e).isInstanceOf(UnavailableException.class);
    assertThat(((FlowClientException) e).status()).isEqualTo(503);
    assertThat(api.requests()).hasSize(1);
    assertThat(retries).isEmpty();
  }

  @Test
  void aRegistrationIsSentOnce() {
    api.json("POST", "/api/definitions", 503, UNAVAILABLE)
        .json("POST", "/api/definitions", 201, "{\"name\":\"wordcount\",\"version\":1}");

    assertThat(failure(client().register(FlowClientRunsTest.YAML, "yaml")))
        .isInstanceOf(UnavailableException.class);
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  void cancelAndRetryAreRetried() throws Exception {
    api.json("POST", RUN + "/cancel", 503, UNAVAILABLE)
        .json("POST", RUN + "/cancel", 200, "{\"id\":\"" + RUN_ID + "\",\"status\":\"CANCELLED\"}")
        .json("POST", RUN + "/retry", 504, "")
        .json("POST", RUN + "/retry", 200, "{\"id\":\"" + RUN_ID + "\",\"status\":\"RUNNING\"}");

    assertThat(client().cancel(RUN_ID).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
        .isEqualTo("CANCELLED");
    assertThat(client.retry(RUN_ID).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
        .isEqualTo("RUNNING");
    assertThat(api.requests()).hasSize(4);
  }

  @Test
  void aConflictIsNotRetried() {
    api.json("POST", RUN + "/cancel", 409, error("conflict", "the run has already ended"));

    assertThat(failure(client().cancel(RUN_ID))).isInstanceOf(ConflictException.class);
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  void anUnreachableServerIsUnavailableAfterTheLastAttempt() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    client = builder().baseUrl("http://127.0.0.1:" + port + "/api").retries(3).build();

    Throwable e = failure(client.status(RUN_ID));

    assertThat(e).isInstanceOf(UnavailableException.class);
    FlowClientException unavailable = (FlowClientException) e;
    assertThat(unavailable.status()).isZero();
    assertThat(unavailable.code()).isEqualTo("unreachable");
    assertThat(unavailable.getMessage()).contains("cannot reach");
    assertThat(retries).containsExactly(1, 2);
  }

  @Test
  void pausesDoubleUpToTheMostAndVaryByTheJitter() {
    Duration initial = Duration.ofMillis(200);
    Duration max = Duration.ofSeconds(5);

    assertThat(WorkflowClient.backoff(1, initial, max, 0.2, 0.5)).isEqualTo(initial);
    assertThat(WorkflowClient.backoff(2, initial, max, 0.2, 0.5)).isEqualTo(Duration.ofMillis(400));
    assertThat(WorkflowClient.backoff(3, initial, max, 0.2, 0.5)).isEqualTo(Duration.ofMillis(800));
    assertThat(WorkflowClient.backoff(3, initial, max, 0.2, 0.0)).isEqualTo(Duration.ofMillis(640));
    assertThat(WorkflowClient.backoff(3, initial, max, 0.2, 1.0)).isEqualTo(Duration.ofMillis(960));
    assertThat(WorkflowClient.backoff(10, initial, max, 0.2, 0.5)).isEqualTo(max);
    assertThat(WorkflowClient.backoff(10, initial, max, 0.2, 1.0)).isEqualTo(max);
    assertThat(WorkflowClient.backoff(10, initial, max, 0.2, 0.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(WorkflowClient.backoff(100, initial, max, 0, 0.3)).isEqualTo(max);
  }

  @Test
  void theDefaultPausesStayWithinTheirJitter() throws Exception {
    client =
        WorkflowClient.builder()
            .baseUrl(api.api())
            .backoff(Duration.ofMillis(20), Duration.ofMillis(20))
            .retries(2)
            .build();
    api.json("GET", RUN, 503, UNAVAILABLE)
        .json("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "RUNNING"));

    long started = System.nanoTime();
    client.status(RUN_ID).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(16));
    assertThat(api.requests()).hasSize(2);
  }

  // threads

  @Test
  void theAnswerArrivesOnTheClientsThreadNotTheCallers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    api.jsonOnRelease("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "RUNNING"), release);

    CompletableFuture<Run> future = client().status(RUN_ID);
    AtomicReference<String> completedOn = new AtomicReference<>();
    CompletableFuture<Run> seen =
        future.whenComplete((run, e) -> completedOn.set(Thread.currentThread().getName()));

    await().atMost(WAIT).until(() -> api.requests().size() == 1);
    assertThat(future).isNotDone();
    release.countDown();

    assertThat(seen.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo("RUNNING");
    assertThat(completedOn.get())
        .startsWith("flow-client-")
        .isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void callsRunOnTheGivenExecutorWhichCloseLeavesRunning() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      AtomicInteger tasks = new AtomicInteger();
      client =
          builder()
              .executor(
                  task -> {
                    tasks.incrementAndGet();
                    pool.execute(task);
                  })
              .build();
      api.json("GET", RUN + "/state", 200, "{\"total\": 3}");

      Map<String, ?> state = client.state(RUN_ID).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(state).containsOnlyKeys("total");
      assertThat(tasks.get()).isEqualTo(1);
      client.close();
      assertThat(pool.isShutdown()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closingFailsTheCallsStillGoingAndRefusesNewOnes() {
    CountDownLatch release = new CountDownLatch(1);
    api.jsonOnRelease("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "RUNNING"), release);
    CompletableFuture<Run> going = client().status(RUN_ID);
    await().atMost(WAIT).until(() -> api.requests().size() == 1);

    client.close();

    assertThat(failure(going))
        .isExactlyInstanceOf(FlowClientException.class)
        .extracting(e -> ((FlowClientException) e).code())
        .isEqualTo("closed");
    assertThat(failure(client.status(RUN_ID))).hasMessageContaining("closed");
    release.countDown();
  }

  // the other calls

  @Test
  void awaitLooksUntilTheRunHasEnded() throws Exception {
    api.json("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "RUNNING"))
        .json("GET", RUN, 503, UNAVAILABLE)
        .json("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "SUCCEEDED"));

    Run ended = client().await(RUN_ID, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(ended.status()).isEqualTo("SUCCEEDED");
    assertThat(api.requests()).hasSize(3);
  }

  @Test
  void awaitFailsAtTheDeadlineWithTheLastStatus() {
    api.json("GET", RUN, 200, FlowClientRunsTest.run(RUN_ID, "RUNNING"));

    Throwable e = failure(client().await(RUN_ID, Duration.ofMillis(150)));

    assertThat(e)
        .isExactlyInstanceOf(FlowClientException.class)
        .hasMessageContaining("is still RUNNING");
    assertThat(((FlowClientException) e).code()).isEqualTo("timeout");
  }

  @Test
  void awaitEndsAtOnceForAnUnknownRun() {
    api.json("GET", RUN, 404, error("not_found", "no workflow " + RUN_ID));

    assertThat(failure(client().await(RUN_ID, WAIT))).isInstanceOf(NotFoundException.class);
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  void jobsReadsEveryPage() {
    String job = "{\"id\":\"%s\",\"workflowId\":\"" + RUN_ID + "\",\"status\":\"SUCCEEDED\"}";
    api.json(
            "GET",
            RUN + "/jobs",
            200,
            "{\"items\":[%s,%s],\"total\":3,\"page\":0,\"size\":2}"
                .formatted(job.formatted("j1"), job.formatted("j2")))
        .json(
            "GET",
            RUN + "/jobs",
            200,
            "{\"items\":[%s],\"total\":3,\"page\":1,\"size\":2}".formatted(job.formatted("j3")));

    List<Job> jobs = client().jobs(RUN_ID).join();

    assertThat(jobs).extracting(Job::id).containsExactly("j1", "j2", "j3");
    assertThat(api.requests())
        .extracting(r -> r.query("page"))
        .containsExactly(List.of("0"), List.of("1"));
    assertThat(api.requests().get(0).query("size")).containsExactly("500");
  }

  @Test
  void aStateKeyThatIsAbsentIsEmpty() {
    api.json("GET", RUN + "/state/total", 200, "{\"key\":\"total\",\"value\":3}");

    assertThat(client().state(RUN_ID, "total").join()).map(v -> v.asInt()).contains(3);
    assertThat(client.state(RUN_ID, "missing").join()).isEqualTo(Optional.empty());
  }

  @Test
  void aMalformedArgumentFailsTheFutureBeforeAnythingIsSent() {
    assertThat(failure(client().status(" "))).isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(client.register("name: w", "toml")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(client.await(RUN_ID, Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void streamEventsDeliversEachEventInOrder() throws Exception {
    String stream = RUN + "/events/stream";
    api.streamThenHold(
        stream, EventStreamTest.event(1, "run.started") + EventStreamTest.event(2, "step.started"));
    List<FlowEvent> events = new CopyOnWriteArrayList<>();

    try (EventStream open = client().streamEvents(RUN_ID, Set.of("run.started"), events::add)) {
      await().atMost(WAIT).until(() -> events.size() == 2);
      assertThat(events).extracting(FlowEvent::type).containsExactly("run.started", "step.started");
      assertThat(open.lastEventId()).isEqualTo(2);
      assertThat(api.last().query("type")).containsExactly("run.started");
    }
  }

  @Test
  void ofWrapsAGivenFlowClient() {
    FlowClient flow = FlowClient.builder().baseUrl(api.api()).build();
    try (WorkflowClient wrapped = WorkflowClient.of(flow)) {
      assertThat(wrapped.flowClient()).isSameAs(flow);
    }
    assertThatThrownBy(() -> WorkflowClient.builder().flowClient(flow).token("t").build())
        .isInstanceOf(IllegalStateException.class);
  }
}
