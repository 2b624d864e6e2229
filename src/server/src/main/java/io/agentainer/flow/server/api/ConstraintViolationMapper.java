package io.agentainer.flow.server.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Bean Validation failures: 400, each field with its message. */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

  @Override
  public Response toResponse(ConstraintViolationException e) {
    Map<String, Object> fields = new LinkedHashMap<>();
    e.getConstraintViolations().stream()
        .sorted(Comparator.comparing(v -> field(v)))
        .forEach(v -> fields.put(field(v), v.getMessage()));
    String message =
        fields.entrySet().stream()
            .map(f -> f.getKey() + ": " + f.getValue())
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid request");
    return Errors.response(400, "invalid_request", message, Map.of("fields", fields), e);
  }

  private static String field(ConstraintViolation<?> v) {
    // "list.arg0.size" -> "size": the method and parameter position mean nothing to a client
    String path = v.getPropertyPath().toString();
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }
}
