package io.agentainer.flow.sdk.client;

import java.util.Map;

/**
 * The run, definition, job or key asked for does not exist: a {@code 404}.
 *
 * <p>A {@link WorkflowClient} future fails with it; it keeps the status, code, message, details and
 * problems of the answer.
 */
public final class NotFoundException extends FlowClientException {

  private static final long serialVersionUID = 1L;

  /** A 404 answer with its error code, message and details. */
  public NotFoundException(int status, String code, String message, Map<String, Object> details) {
    super(status, code, message, details);
  }

  /** The same failure as {@code original}, which becomes its cause. */
  NotFoundException(FlowClientException original) {
    super(original.status(), original.code(), original.getMessage(), original.details());
    initCause(original);
  }
}
