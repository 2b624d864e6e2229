package io.agentainer.flow.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.stream.Collectors;

/** A request body that is no JSON, or JSON of the wrong shape: 400 naming the field. */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

  @Override
  public Response toResponse(JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field =
          mapping.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      return Errors.response(
          400, "invalid_request", field + ": " + e.getOriginalMessage(), Map.of("field", field), e);
    }
    return Errors.response(
        400, "invalid_json", "body: not valid JSON: " + e.getOriginalMessage(), Map.of(), e);
  }
}
