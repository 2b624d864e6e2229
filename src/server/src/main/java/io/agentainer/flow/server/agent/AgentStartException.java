package io.agentainer.flow.server.agent;

/** An agent could not be started; {@code type} says why in a word clients can match. */
public class AgentStartException extends RuntimeException {

  private final String type;
  private final boolean retryable;

  public AgentStartException(String type, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.retryable = retryable;
  }

  public AgentStartException(String type, String message, boolean retryable) {
    this(type, message, retryable, null);
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }
}
