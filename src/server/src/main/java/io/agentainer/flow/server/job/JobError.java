package io.agentainer.flow.server.job;

/**
 * Why a job failed: a stable {@code type} ({@code handler_error}, {@code agent_crashed}, {@code
 * timeout}, {@code image_not_found}, {@code agent_unavailable}, {@code node_lost}, ...), a message
 * for people, and whether another attempt could succeed.
 */
public record JobError(String type, String message, boolean retryable) {

  public JobError {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("type must not be blank");
    }
    message = message == null ? "" : message;
  }
}
