package io.agentainer.flow.server.agent;

/** What became of a task sent to an agent. */
public sealed interface TaskOutcome {

  /** {@code 200 {output}}: the output as JSON text ({@code null} for none). */
  record Succeeded(String output) implements TaskOutcome {}

  /** The agent answered with an error. */
  record Failed(String type, String message, boolean retryable) implements TaskOutcome {}

  /** The connection broke or nothing answered: the agent crashed or went away. */
  record Lost(String reason) implements TaskOutcome {}

  /** No answer within the job's time limit. */
  record TimedOut(long millis) implements TaskOutcome {}
}
