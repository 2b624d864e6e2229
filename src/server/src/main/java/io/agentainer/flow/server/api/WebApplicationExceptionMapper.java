package io.agentainer.flow.server.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.Map;

/** JAX-RS's own errors (unknown path, wrong method, unsupported media type) in our shape. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException e) {
    Response.StatusType status = e.getResponse().getStatusInfo();
    String code = status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
    String message =
        switch (status.getStatusCode()) {
          case 404 -> "no such resource";
          case 405 -> "method not allowed here";
          case 415 -> "unsupported content type: send application/json";
          case 406 -> "cannot answer in the accepted media type: accept application/json";
          default -> e.getMessage() == null ? status.getReasonPhrase() : e.getMessage();
        };
    return Errors.response(status.getStatusCode(), code, message, Map.of(), e);
  }
}
