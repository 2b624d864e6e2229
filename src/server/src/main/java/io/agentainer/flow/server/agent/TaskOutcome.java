package io.agentainer.flow.server.agent;

/** What became of a task sent to an agent. */
public sealed interface TaskOutcome {

  /** {@code 200 {output}}: the output as JSON text ({@code null} for none). */
  record Succeeded(String output) implements TaskOutcome {}

  /** The agent answered with an error. */
  record Failed(String type, String message, boolean retryable) implements TaskOutcome {}

  /**
   * The connection broke or nothing answered: the agent crashed or went away. {@code delivered} is
   * false when the connection was refused, so the task certainly never reached the agent.
   */
  record Lost(String reason, boolean delivered) implements TaskOutcome {
    public Lost(String reason) {
      this(reason, true);
    }
  }

  /** No answer within the job's time limit. */
  record TimedOut(long millis) implements TaskOutcome {}
}
