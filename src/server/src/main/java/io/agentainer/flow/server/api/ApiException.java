package io.agentainer.flow.server.api;

import java.util.Map;

/**
 * An error the API reports as it is: a status, a stable code and a message. Thrown by services;
 * {@link ApiExceptionMapper} turns it into an {@link ApiError}.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final Map<String, Object> details;

  public ApiException(int status, String code, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** 400: a field of the request is wrong; the message names it. */
  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, "invalid_request", field + ": " + message, Map.of("field", field));
  }

  /** 404: the thing asked for does not exist. */
  public static ApiException notFound(String what, Object id) {
    return new ApiException(404, "not_found", what + " " + id + " not found", Map.of());
  }

  /** 409: the request conflicts with the current state. */
  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message, Map.of());
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }
}
