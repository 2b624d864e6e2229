package io.agentainer.flow.console.ui.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobError;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.StateChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunResultTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSucceededRunShowsItsOutput() throws Exception {
    assertThat(RunView.result(run("SUCCEEDED", JSON.readTree("{\"words\":3}"), null), List.of()))
        .contains("\"words\" : 3");
    assertThat(RunView.result(run("RUNNING", null, null), List.of())).isEqualTo("(no output yet)");
  }

  @Test
  void aFailedRunShowsItsErrorAndWhyEachTaskFailedOnItsLastAttempt() throws Exception {
    Run run =
        run(
            "FAILED",
            null,
            JSON.readTree(
                "{\"type\":\"step_failed\",\"message\":\"step fan failed: 2 of 3 tasks failed\"}"));
    List<Job> jobs =
        List.of(
            job("fan", 0, 1, "FAILED", new JobError("failed", "timeout on attempt 1", true)),
            job("fan", 0, 2, "FAILED", new JobError("failed", "boom on attempt 2", false)),
            job("fan", 1, 1, "SUCCEEDED", null),
            job("fan", 2, 1, "FAILED", new JobError("agent_lost", "the agent stopped", false)),
            job("load", null, 1, "CANCELLED", null));

    assertThat(RunView.result(run, jobs))
        .isEqualTo(
            "step_failed: step fan failed: 2 of 3 tasks failed\n"
                + "fan[0]: failed: boom on attempt 2\n"
                + "fan[2]: agent_lost: the agent stopped");
  }

  @Test
  void aStateChangeSaysWhatItDid() throws Exception {
    Instant at = Instant.parse("2026-11-29T10:00:00Z");
    UUID job = UUID.randomUUID();
    assertThat(RunView.change(change("INCREMENT", null, new BigDecimal("5"), job, at)))
        .isEqualTo("+5");
    assertThat(RunView.change(change("INCREMENT", null, new BigDecimal("-2.5"), job, at)))
        .isEqualTo("-2.5");
    assertThat(RunView.change(change("DELETE", null, null, null, at))).isEqualTo("deleted");
    assertThat(RunView.change(change("PUT", JSON.readTree("{\"a\":1}"), null, null, at)))
        .isEqualTo("{\"a\":1}");
    assertThat(RunView.change(change("APPEND", JSON.readTree("\"x\""), null, job, at)))
        .isEqualTo("\"x\"");
  }

  private static StateChange change(
      String op, JsonNode value, BigDecimal delta, UUID job, Instant at) {
    return new StateChange(1, "k", op, value == null ? JSON.nullNode() : value, delta, job, at);
  }

  private static Run run(String status, JsonNode output, JsonNode error) {
    return new Run(
        "r", "d", 1, status, null, output, error, null, null, null, null, null, null, null, null,
        null, List.of());
  }

  private static Job job(String step, Integer task, int attempt, String status, JobError error) {
    return new Job(
        step + task + attempt,
        "r",
        step,
        task,
        null,
        status,
        attempt,
        3,
        null,
        null,
        null,
        null,
        null,
        null,
        error,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
