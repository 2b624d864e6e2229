package io.agentainer.flow.sdk.client;

import java.util.Map;

/**
 * The request does not fit the current state of what it names: a {@code 409}, e.g. cancelling a run
 * that has already ended, or retrying one that has not.
 *
 * <p>A {@link WorkflowClient} future fails with it; it keeps the status, code, message, details and
 * problems of the answer.
 */
public final class ConflictException extends FlowClientException {

  private static final long serialVersionUID = 1L;

  /** A 409 answer with its error code, message and details. */
  public ConflictException(int status, String code, String message, Map<String, Object> details) {
    super(status, code, message, details);
  }

  /** The same failure as {@code original}, which becomes its cause. */
  ConflictException(FlowClientException original) {
    super(original.status(), original.code(), original.getMessage(), original.details());
    initCause(original);
  }
}
