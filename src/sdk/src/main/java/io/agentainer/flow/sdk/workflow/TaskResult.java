package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One upstream task's result, as a {@link Results} parameter of a reduce step gets it.
 *
 * @param taskId the task's number within its step
 * @param stepId the step it belongs to (set when the reduce depends on more than one step)
 * @param status {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
 * @param output its output when it succeeded, else null
 * @param error its error ({@code {type, message, retryable}}) when it did not, else null
 */
public record TaskResult(
    int taskId, String stepId, String status, JsonNode output, JsonNode error) {

  /** Whether the task succeeded. */
  public boolean succeeded() {
    return "SUCCEEDED".equals(status);
  }

  /** The output converted to {@code type}, or null when the task did not succeed. */
  public <T> T output(Class<T> type) {
    return output == null ? null : Bindings.JSON.convertValue(output, type);
  }

  /**
   * The output converted to a generic type, e.g. {@code new TypeReference<Map<String, Long>>() {}}.
   */
  public <T> T output(com.fasterxml.jackson.core.type.TypeReference<T> type) {
    return output == null ? null : Bindings.JSON.convertValue(output, type);
  }
}
