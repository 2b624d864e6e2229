package io.agentainer.flow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.agentainer.flow.server.common.IllegalTransitionException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mapper answers in the one error shape, with the right status, naming the field. */
class ExceptionMappersTest {

  private static ApiError.Body body(Response response) {
    return ((ApiError) response.getEntity()).error();
  }

  record Job(String image, int attempts) {}

  @Test
  void anUnknownJsonFieldIsA400NamingIt() {
    ObjectMapper json = JacksonConfig.mapper();
    UnrecognizedPropertyException e = null;
    try {
      json.readValue("{\"image\":\"x\",\"atempts\":3}", Job.class);
    } catch (UnrecognizedPropertyException thrown) {
      e = thrown;
    } catch (Exception other) {
      throw new AssertionError(other);
    }
    Response response = new JsonExceptionMapper().toResponse(e);
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(body(response).code()).isEqualTo("invalid_request");
    assertThat(body(response).message()).startsWith("atempts:");
    assertThat(body(response).details()).containsEntry("field", "atempts");
  }

  @Test
  void aWrongTypeDeepInsideNamesThePath() throws Exception {
    record Wrapper(List<Job> jobs) {}
    Exception e = null;
    try {
      JacksonConfig.mapper()
          .readValue("{\"jobs\":[{\"image\":\"x\",\"attempts\":\"many\"}]}", Wrapper.class);
    } catch (Exception thrown) {
      e = thrown;
    }
    Response response =
        new JsonExceptionMapper()
            .toResponse((com.fasterxml.jackson.core.JsonProcessingException) e);
    assertThat(body(response).details()).containsEntry("field", "jobs[0].attempts");
  }

  @Test
  void brokenJsonIsA400() throws Exception {
    Exception e = null;
    try {
      JacksonConfig.mapper().readTree("{\"image\":");
    } catch (Exception thrown) {
      e = thrown;
    }
    Response response =
        new JsonExceptionMapper()
            .toResponse((com.fasterxml.jackson.core.JsonProcessingException) e);
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(body(response).code()).isEqualTo("invalid_json");
    assertThat(body(response).message()).startsWith("body: not valid JSON");
  }

  static class Form {
    @NotBlank String name = " ";

    @Min(1)
    int size = 0;
  }

  @Test
  void beanValidationFailuresNameEachField() {
    Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
    ConstraintViolationException e =
        new ConstraintViolationException(validator.validate(new Form()));
    Response response = new ConstraintViolationMapper().toResponse(e);
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(body(response).message()).contains("name: ").contains("size: ");
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) body(response).details().get("fields");
    assertThat(fields).containsOnlyKeys("name", "size");
  }

  @Test
  void jaxRsErrorsKeepTheirStatusInOurShape() {
    Response notFound = new WebApplicationExceptionMapper().toResponse(new NotFoundException());
    assertThat(notFound.getStatus()).isEqualTo(404);
    assertThat(body(notFound).code()).isEqualTo("not_found");
    Response notAllowed =
        new WebApplicationExceptionMapper().toResponse(new NotAllowedException("GET"));
    assertThat(notAllowed.getStatus()).isEqualTo(405);
    assertThat(body(notAllowed).message()).isEqualTo("method not allowed here");
  }

  @Test
  void anIllegalTransitionIsAConflictAndAnythingElseA500WithoutInternals() {
    Response conflict =
        new UnexpectedExceptionMapper()
            .toResponse(new IllegalTransitionException("Job", "SUCCEEDED", "RUNNING"));
    assertThat(conflict.getStatus()).isEqualTo(409);
    assertThat(body(conflict).details()).containsEntry("from", "SUCCEEDED");

    Response internal =
        new UnexpectedExceptionMapper().toResponse(new NullPointerException("secret detail"));
    assertThat(internal.getStatus()).isEqualTo(500);
    assertThat(body(internal).message()).doesNotContain("secret");
  }

  @Test
  void apiExceptionsAreAnsweredAsTheySay() {
    Response response =
        new ApiExceptionMapper().toResponse(ApiException.notFound("workflow", "abc"));
    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(body(response).message()).isEqualTo("workflow abc not found");
    assertThat(new ApiExceptionMapper().toResponse(ApiException.conflict("busy")).getStatus())
        .isEqualTo(409);
  }
}
