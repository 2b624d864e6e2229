package io.agentainer.flow.server.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Builds error responses in one shape, logging 4xx at WARNING and 5xx at SEVERE. */
final class Errors {

  private static final Logger LOG = Logger.getLogger("io.agentainer.flow.server.api");

  private Errors() {}

  static Response response(
      int status, String code, String message, Map<String, Object> details, Throwable cause) {
    if (status >= 500) {
      LOG.log(Level.SEVERE, "request failed: " + message, cause);
    } else {
      LOG.log(Level.WARNING, () -> status + " " + code + ": " + message);
    }
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ApiError.of(code, message, details))
        .build();
  }
}
