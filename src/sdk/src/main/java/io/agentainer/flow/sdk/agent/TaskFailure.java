package io.agentainer.flow.sdk.agent;

import java.util.Objects;

/**
 * A task's failure, as its handler reports it: a short machine-readable {@code type}, a message for
 * people, and whether retrying the same input may succeed. The agent answers it with HTTP 422 and
 * {@code {"error": {"type", "message", "retryable"}}}.
 */
public class TaskFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The type of a failure from {@link #badInput}. */
  public static final String BAD_INPUT = "bad_input";

  /** The type of a task that stopped because its job was cancelled. */
  public static final String CANCELLED = "cancelled";

  private final String type;
  private final boolean retryable;

  public TaskFailure(String type, String message, boolean retryable) {
    this(type, message, retryable, null);
  }

  public TaskFailure(String type, String message, boolean retryable, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.type = Objects.requireNonNull(type, "type");
    this.retryable = retryable;
  }

  /** A failure a retry may cure (a timeout of something the handler called, say). */
  public static TaskFailure retryable(String type, String message) {
    return new TaskFailure(type, message, true);
  }

  /** A failure no retry will cure. */
  public static TaskFailure permanent(String type, String message) {
    return new TaskFailure(type, message, false);
  }

  /**
   * Input the handler cannot use: not retryable, and the message starts with the field, e.g. {@code
   * badInput("input.ms", "must be a whole number >= 0")}.
   */
  public static TaskFailure badInput(String field, String problem) {
    return new TaskFailure(BAD_INPUT, field + ": " + problem, false);
  }

  /** The handler stopped because its job was cancelled. */
  public static TaskFailure cancelled(String message) {
    return new TaskFailure(CANCELLED, message, false);
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }
}
