package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * The {@code error} of a failed task's response: {@code {type, message, retryable, stack?}}.
 *
 * @param type short and machine readable: {@code bad_request}, {@code unknown_handler}, {@code
 *     bad_input}, {@code cancelled}, a handler's own type, or the simple class name of an
 *     unexpected exception
 * @param message for people; for bad input it starts with the field's name
 * @param retryable whether the same task may succeed when tried again
 * @param stack the stack trace of an unexpected exception, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskError(String type, String message, boolean retryable, String stack) {

  /** Stack traces are cut to this many characters. */
  static final int MAX_STACK = 8_000;

  public TaskError {
    Objects.requireNonNull(type, "type");
    message = message == null ? type : message;
  }

  public static TaskError of(String type, String message, boolean retryable) {
    return new TaskError(type, message, retryable, null);
  }

  /**
   * The error a handler's {@link TaskFailure} stands for (with its cause's stack, if it has one).
   */
  static TaskError of(TaskFailure failure) {
    String stack = failure.getCause() == null ? null : stackOf(failure.getCause());
    return new TaskError(failure.type(), failure.getMessage(), failure.retryable(), stack);
  }

  /** An exception the handler did not expect: retryable, with its stack. */
  static TaskError unexpected(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return new TaskError(e.getClass().getSimpleName(), message, true, stackOf(e));
  }

  static String stackOf(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    String stack = out.toString();
    return stack.length() <= MAX_STACK ? stack : stack.substring(0, MAX_STACK) + "\n\t...";
  }
}
