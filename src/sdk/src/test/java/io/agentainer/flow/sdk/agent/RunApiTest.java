package io.agentainer.flow.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run-scoped API helper against a stand-in API. */
class RunApiTest {

  private StandInApi api;

  @BeforeEach
  void start() throws IOException {
    api = new StandInApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** Retries for 1 s at most, pausing 1 to 4 ms. */
  static final ApiSettings QUICK =
      new ApiSettings(
          ApiSettings.DEFAULT_CLIENT,
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMillis(1),
          Duration.ofMillis(4));

  private RunApi client(String workflowId, FlowAccess flow) {
    TaskRequest request = TaskRequest.builder("job-1").workflowId(workflowId).flow(flow).build();
    return new TaskContext(request, "h", QUICK).api();
  }

  private RunApi client() {
    return client("wf-1", new FlowAccess(api.api() + "/", "tok", null));
  }

  @Test
  void incrementsPostTheDeltaWithTheBearerTokenAndAnswerTheNewValue() throws Exception {
    RunApi client = client();
    assertThat(client.increment("hits", 2).asLong()).isEqualTo(2);
    assertThat(client.increment("hits", 3).asLong()).isEqualTo(5);
    assertThat(api.calls())
        .allSatisfy(
            call -> {
              assertThat(call.path()).isEqualTo("/api/workflows/wf-1/state/hits/increment");
              assertThat(call.authorization()).isEqualTo("Bearer tok");
              assertThat(call.traceparent()).isNull();
            });
    assertThat(api.calls().get(1).body()).isEqualTo("{\"by\":3}");
    assertThat(api.calls())
        .extracting(StandInApi.Call::idempotencyKey)
        .containsExactly("job-1:1", "job-1:2");
  }

  @Test
  void decimalsAreSentAsNumbers() throws Exception {
    client().increment("ratio", new BigDecimal("0.25"));
    assertThat(api.calls().get(0).body()).isEqualTo("{\"by\":0.25}");
  }

  @Test
  void aServerErrorIsRetryableAndAClientErrorIsNot() {
    api.answer(503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"Redis is down\"}}");
    assertThatThrownBy(() -> client().increment("k", 1))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.type()).isEqualTo(RunApi.FAILURE_TYPE);
              assertThat(f.retryable()).isTrue();
              assertThat(f.getMessage()).contains("HTTP 503: Redis is down", "(tried ");
            });
    assertThat(api.calls()).hasSizeGreaterThan(1);
    assertThat(api.calls()).extracting(StandInApi.Call::idempotencyKey).containsOnly("job-1:1");
    api.answer(403, "not yours");
    assertThatThrownBy(() -> client().increment("k", 1))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.getMessage()).endsWith("HTTP 403: not yours");
            });
  }

  @Test
  void anUnreachableApiIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RunApi unreachable =
        client("wf-1", new FlowAccess("http://127.0.0.1:" + closedPort + "/api", "t", null));
    assertThatThrownBy(() -> unreachable.increment("k", 1))
        .isInstanceOfSatisfying(
            TaskFailure.class,
            f -> {
              assertThat(f.retryable()).isTrue();
              assertThat(f.getMessage()).contains("cannot reach the API");
            });
  }

  @Test
  void withoutARunAnApiOrATokenItFailsAtOnceNamingWhatIsMissing() {
    assertThatThrownBy(() -> client(null, new FlowAccess(api.api(), "t", null)).increment("k", 1))
        .hasMessageStartingWith("workflowId: required");
    assertThatThrownBy(() -> client("wf", new FlowAccess(null, "t", null)).increment("k", 1))
        .hasMessageStartingWith("flow.api: not given");
    assertThatThrownBy(() -> client("wf", new FlowAccess(api.api(), null, null)).increment("k", 1))
        .hasMessageStartingWith("flow.token: not given");
    assertThatThrownBy(() -> client().increment("", 1)).hasMessageStartingWith("key: required");
    assertThat(api.calls()).isEmpty();
  }

  @Test
  void anEmptySuccessfulAnswerIsNull() throws Exception {
    api.answer(204, "");
    assertThat(client().increment("k", 1).isNull()).isTrue();
  }
}
