package io.agentainer.flow.server.api;

import java.util.Map;

/** The body of every error the API answers: {@code {error: {code, message, details}}}. */
public record ApiError(Body error) {

  /** {@code code} is stable for clients; {@code message} is for people and names the field. */
  public record Body(String code, String message, Map<String, Object> details) {}

  public static ApiError of(String code, String message, Map<String, Object> details) {
    return new ApiError(new Body(code, message, details == null ? Map.of() : details));
  }
}
