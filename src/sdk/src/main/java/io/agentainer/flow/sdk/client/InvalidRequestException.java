package io.agentainer.flow.sdk.client;

import java.util.Map;

/**
 * The server refused what was sent: a {@code 400} or {@code 422} for an invalid definition ({@code
 * invalid_definition}), input ({@code invalid_input}) or field. {@link #problems()} lists what is
 * wrong when the server said; {@link #details()} often names the field. Sending it again as it is
 * will fail again.
 *
 * <p>A {@link WorkflowClient} future fails with it; it keeps the status, code, message, details and
 * problems of the answer.
 */
public final class InvalidRequestException extends FlowClientException {

  private static final long serialVersionUID = 1L;

  /** A 400 or 422 answer with its error code, message and details. */
  public InvalidRequestException(
      int status, String code, String message, Map<String, Object> details) {
    super(status, code, message, details);
  }

  /** The same failure as {@code original}, which becomes its cause. */
  InvalidRequestException(FlowClientException original) {
    super(original.status(), original.code(), original.getMessage(), original.details());
    initCause(original);
  }
}
