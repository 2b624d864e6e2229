package io.agentainer.flow.sdk.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call to the Agentainer Flow API failed: the server answered with an error, did not answer, or
 * (for {@link FlowClient#awaitJob} and {@link FlowClient#awaitRun}) the job or run did not end in
 * time.
 */
public class FlowClientException extends RuntimeException {

  private final int status;
  private final String code;
  private final Map<String, Object> details;

  public FlowClientException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /**
   * An error the server answered: {@code {"error": {"code", "message", "details"}}}.
   *
   * @param details the error's {@code details} (for instance the field at fault); null for none
   */
  public FlowClientException(int status, String code, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A failure with a cause, e.g. an answer that could not be read. */
  public FlowClientException(int status, String code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.details = Map.of();
  }

  /** The server could not be reached. */
  public FlowClientException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.code = "unreachable";
    this.details = Map.of();
  }

  /**
   * The HTTP status, or 0 when no HTTP answer decided the outcome (unreachable, or waited in vain).
   */
  public int status() {
    return status;
  }

  /**
   * The error code the server sent ({@code error.code}), else {@code http_<status>}, or a client
   * code: {@code unreachable}, {@code timeout}, {@code bad_response}.
   */
  public String code() {
    return code;
  }

  /** The server's {@code error.details}: empty when it sent none. */
  public Map<String, Object> details() {
    return details;
  }

  /**
   * What is wrong, one problem each, when the server listed them in {@code details.problems}: an
   * invalid definition ({@code invalid_definition}) or a run's input that does not fit the
   * definition's parameters ({@code invalid_input}). Empty when it did not.
   */
  public List<Problem> problems() {
    if (!(details.get("problems") instanceof List<?> list)) {
      return List.of();
    }
    List<Problem> problems = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> problem) {
        problems.add(new Problem(text(problem.get("path")), text(problem.get("message"))));
      } else if (item != null) {
        problems.add(new Problem(null, item.toString()));
      }
    }
    return List.copyOf(problems);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
