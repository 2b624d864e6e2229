package io.agentainer.flow.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code POST /task} bodies, and the context a handler gets from one. */
class TaskRequestTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TaskRequest parse(String body) throws Exception {
    return TaskRequest.parse(JSON.readTree(body));
  }

  @Test
  void readsEveryField() throws Exception {
    TaskRequest request =
        parse(
            "{\"jobId\":\"j\",\"workflowId\":\"w\",\"stepId\":\"p/c\",\"taskId\":3,\"attempt\":2,"
                + "\"handler\":\"echo\",\"input\":{\"a\":1},\"results\":[{\"taskId\":0}],"
                + "\"flow\":{\"api\":\"http://a/api\",\"token\":\"t\",\"traceparent\":\"tp\"}}");
    assertThat(request.jobId()).isEqualTo("j");
    assertThat(request.workflow()).hasValue("w");
    assertThat(request.step()).hasValue("p/c");
    assertThat(request.taskId()).isEqualTo(3);
    assertThat(request.attempt()).isEqualTo(2);
    assertThat(request.handlerName()).hasValue("echo");
    assertThat(request.input().path("a").asInt()).isEqualTo(1);
    assertThat(request.resultList()).isPresent();
    assertThat(request.flow()).isEqualTo(new FlowAccess("http://a/api", "t", "tp"));
    assertThat(request.flow().apiUrl()).hasValue("http://a/api");
    assertThat(request.flow().bearerToken()).hasValue("t");
    assertThat(request.flow().traceContext()).hasValue("tp");
  }

  @Test
  void onlyTheJobIdIsRequired() throws Exception {
    TaskRequest request = parse("{\"jobId\":\"j\",\"results\":null,\"flow\":null}");
    assertThat(request.workflow()).isEmpty();
    assertThat(request.taskId()).isZero();
    assertThat(request.attempt()).isEqualTo(1);
    assertThat(request.input().isNull()).isTrue();
    assertThat(request.resultList()).isEmpty();
    assertThat(request.flow()).isEqualTo(FlowAccess.NONE);
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertThatThrownBy(() -> parse("{\"jobId\":\" \"}")).hasMessage("jobId: required");
    assertThatThrownBy(() -> parse("{\"jobId\":\"j\",\"taskId\":-1}"))
        .hasMessage("taskId: must be a whole number >= 0");
    assertThatThrownBy(() -> parse("{\"jobId\":\"j\",\"attempt\":1.5}"))
        .hasMessage("attempt: must be a whole number >= 1");
    assertThatThrownBy(() -> parse("{\"jobId\":\"j\",\"handler\":\"\"}"))
        .hasMessage("handler: must not be blank");
    assertThatThrownBy(() -> parse("{\"jobId\":\"j\",\"stepId\":[]}"))
        .hasMessage("stepId: must be a string");
    assertThatThrownBy(() -> parse("{\"jobId\":\"j\",\"flow\":\"x\"}"))
        .hasMessage("flow: must be an object");
    assertThatThrownBy(() -> parse("{\"jobId\":\"j\",\"flow\":{\"token\":{}}}"))
        .isInstanceOfSatisfying(
            MalformedRequestException.class, e -> assertThat(e.field()).isEqualTo("flow.token"));
    assertThatThrownBy(() -> TaskRequest.parse(null)).hasMessage("body: must be a JSON object");
  }

  @Test
  void aLocalContextCarriesTheRequestAndCanBeCancelled() throws Exception {
    JsonNode input = JSON.readTree("{\"x\":1}");
    TaskContext context =
        TaskContext.of(
            TaskRequest.builder("j")
                .workflowId("w")
                .stepId("s")
                .taskId(2)
                .attempt(3)
                .handler("h")
                .input(input)
                .results(JSON.readTree("[]"))
                .flow(new FlowAccess("a", "t", null))
                .build());
    assertThat(context.jobId()).isEqualTo("j");
    assertThat(context.handler()).isEqualTo("h");
    assertThat(context.input()).isEqualTo(input);
    assertThat(context.results()).isPresent();
    assertThat(context.request().taskId()).isEqualTo(2);
    assertThat(context.isCancelled()).isFalse();
    assertThat(context.awaitCancellation(Duration.ofMillis(1))).isFalse();
    context.throwIfCancelled();
    context.cancel();
    assertThat(context.isCancelled()).isTrue();
    assertThat(context.awaitCancellation(Duration.ofDays(1))).isTrue();
    assertThatThrownBy(context::throwIfCancelled)
        .isInstanceOfSatisfying(
            TaskFailure.class, f -> assertThat(f.type()).isEqualTo(TaskFailure.CANCELLED));
  }

  @Test
  void failuresAndErrorsHaveTheirShape() {
    TaskFailure bad = TaskFailure.badInput("input.ms", "must be a number");
    assertThat(bad.type()).isEqualTo("bad_input");
    assertThat(bad.getMessage()).isEqualTo("input.ms: must be a number");
    assertThat(bad.retryable()).isFalse();
    assertThat(TaskFailure.permanent("x", "m").retryable()).isFalse();
    assertThat(TaskError.of(bad).stack()).isNull();
    TaskError withCause =
        TaskError.of(new TaskFailure("x", "m", true, new IllegalStateException("cause")));
    assertThat(withCause.stack()).contains("IllegalStateException: cause");
    assertThat(TaskError.unexpected(new NullPointerException()).message())
        .isEqualTo("java.lang.NullPointerException");
    assertThat(TaskError.of("t", null, false).message()).isEqualTo("t");
    Throwable deep = new RuntimeException("deep");
    for (int i = 0; i < 200; i++) {
      deep = new RuntimeException("level " + i, deep);
    }
    assertThat(TaskError.stackOf(deep)).hasSizeLessThan(TaskError.MAX_STACK + 10).endsWith("...");
  }

  @Test
  void theEnvironmentGivesThePortHostAndHandler() {
    assertThat(AgentEnvironment.of(Map.of()).port()).isEqualTo(AgentEnvironment.DEFAULT_PORT);
    assertThat(AgentEnvironment.of(Map.of("FLOW_AGENT_PORT", " 0 ")).port()).isZero();
    assertThat(AgentEnvironment.of(Map.of()).host()).isEqualTo("127.0.0.1");
    assertThat(AgentEnvironment.of(Map.of("FLOW_HANDLER", "")).handler()).isEmpty();
    assertThat(AgentEnvironment.system()).isNotNull();
    assertThatThrownBy(() -> AgentEnvironment.of(Map.of("FLOW_AGENT_PORT", "http")).port())
        .hasMessage("FLOW_AGENT_PORT: must be a port number 0-65535, got 'http'");
    assertThatThrownBy(() -> AgentEnvironment.of(Map.of("FLOW_AGENT_PORT", "65536")).port())
        .hasMessageStartingWith("FLOW_AGENT_PORT:");
  }
}
