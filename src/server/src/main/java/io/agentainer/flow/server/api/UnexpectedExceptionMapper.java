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
    if (e instanceof io.agentainer.flow.server.common.Unavailable || databaseUnavailable(e)) {
      return Errors.response(
          503,
          "unavailable",
          "the database cannot be reached just now; nothing was changed, try again",
          Map.of(),
          e);
    }
    return Errors.response(
        500, "internal_error", "internal error; see the server log", Map.of(), e);
  }

  /**
   * Whether {@code e} comes of PostgreSQL being unreachable or restarting (SQL states 08xxx,
   * 57P01-57P03) or of the pool having no connection to give: the client may try again.
   */
  static boolean databaseUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      if (t instanceof java.sql.SQLTransientConnectionException
          || t.getClass().getName().startsWith("jakarta.resource.")) {
        return true;
      }
    }
    return false;
  }
}
