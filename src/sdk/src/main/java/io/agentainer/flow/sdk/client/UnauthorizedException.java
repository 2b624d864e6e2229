package io.agentainer.flow.sdk.client;

import java.util.Map;

/**
 * The token is missing, wrong ({@code 401}) or not allowed to do this ({@code 403}).
 *
 * <p>A {@link WorkflowClient} future fails with it; it keeps the status, code, message, details and
 * problems of the answer.
 */
public final class UnauthorizedException extends FlowClientException {

  private static final long serialVersionUID = 1L;

  /** A 401 or 403 answer with its error code, message and details. */
  public UnauthorizedException(
      int status, String code, String message, Map<String, Object> details) {
    super(status, code, message, details);
  }

  /** The same failure as {@code original}, which becomes its cause. */
  UnauthorizedException(FlowClientException original) {
    super(original.status(), original.code(), original.getMessage(), original.details());
    initCause(original);
  }
}
