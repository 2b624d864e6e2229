package io.agentainer.flow.sdk.client;

import java.util.Map;

/**
 * The server could not be reached ({@code status()} 0, code {@code unreachable}) or is too busy or
 * down for now: a {@code 429}, {@code 502}, {@code 503} or {@code 504}. Transient: {@link
 * WorkflowClient} retries the calls that are safe to repeat, and fails with this one after its last
 * attempt.
 *
 * <p>A {@link WorkflowClient} future fails with it; it keeps the status, code, message, details and
 * problems of the answer.
 */
public final class UnavailableException extends FlowClientException {

  private static final long serialVersionUID = 1L;

  /** An answer (or 0 for none) with its error code, message and details. */
  public UnavailableException(
      int status, String code, String message, Map<String, Object> details) {
    super(status, code, message, details);
  }

  /** The same failure as {@code original}, which becomes its cause. */
  UnavailableException(FlowClientException original) {
    super(original.status(), original.code(), original.getMessage(), original.details());
    initCause(original);
  }
}
