package io.agentainer.flow.server.job;

import io.agentainer.flow.server.agent.TaskOutcome;

/**
 * The outcome of one attempt as the engine judges it: the agent's answer, turned into a {@link
 * JobError} when it is not a success (a crash names the exit code).
 */
public record JobOutcome(TaskOutcome outcome, Integer exitCode) {

  public static JobOutcome of(TaskOutcome outcome) {
    return new JobOutcome(outcome, null);
  }

  public JobError error() {
    if (outcome instanceof TaskOutcome.Failed f) {
      return new JobError(f.type(), f.message(), f.retryable());
    }
    if (outcome instanceof TaskOutcome.Lost lost) {
      return new JobError(
          "agent_crashed",
          "the agent exited during the task"
              + (exitCode == null ? "" : " (exit code " + exitCode + ")")
              + ": "
              + lost.reason(),
          true);
    }
    if (outcome instanceof TaskOutcome.TimedOut t) {
      return new JobError("timeout", "no answer from the agent within " + t.millis() + " ms", true);
    }
    return null;
  }

  String agentStopReason() {
    if (outcome instanceof TaskOutcome.Succeeded) {
      return "job_succeeded";
    }
    if (outcome instanceof TaskOutcome.Lost) {
      return "crashed";
    }
    if (outcome instanceof TaskOutcome.TimedOut) {
      return "timeout";
    }
    return "job_failed";
  }
}
