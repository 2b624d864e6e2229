package io.agentainer.flow.server.api;

import io.agentainer.flow.server.common.IllegalTransitionException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * Anything else. An illegal status change is a conflict (409); the rest is our fault (500), logged
 * with its stack and answered without it.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof IllegalTransitionException transition) {
      return Errors.response(
          409,
          "illegal_transition",
          transition.getMessage(),
          Map.of("from", transition.from(), "to", transition.to()),
          e);
    }
    return Errors.response(
        500, "internal_error", "internal error; see the server log", Map.of(), e);
  }
}
