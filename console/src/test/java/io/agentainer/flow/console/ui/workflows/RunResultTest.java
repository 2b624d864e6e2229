package io.agentainer.flow.console.ui.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobError;
import io.agentainer.flow.sdk.client.Run;
import java.util.List;
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
