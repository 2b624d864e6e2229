package io.agentainer.flow.sdk.agent;

import java.util.Optional;

/**
 * How a task reaches back to Flow: the API's address, a token scoped to the task's run, and the W3C
 * trace context of the job. Each may be absent (a job started by hand has no run to call back).
 *
 * @param api the API's base address, e.g. {@code http://127.0.0.1:8081/api}, or {@code null}
 * @param token the run-scoped bearer token, or {@code null}
 * @param traceparent the job's {@code traceparent} header value, or {@code null}
 */
public record FlowAccess(String api, String token, String traceparent) {

  /** Nothing given. */
  public static final FlowAccess NONE = new FlowAccess(null, null, null);

  public Optional<String> apiUrl() {
    return Optional.ofNullable(api);
  }

  public Optional<String> bearerToken() {
    return Optional.ofNullable(token);
  }

  public Optional<String> traceContext() {
    return Optional.ofNullable(traceparent);
  }

  /** This, with each missing field taken from {@code fallback}. */
  FlowAccess orElse(FlowAccess fallback) {
    return new FlowAccess(
        api != null ? api : fallback.api,
        token != null ? token : fallback.token,
        traceparent != null ? traceparent : fallback.traceparent);
  }
}
