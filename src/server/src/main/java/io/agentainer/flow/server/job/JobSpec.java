package io.agentainer.flow.server.job;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * What a new job is: its workflow metadata (all null for a plain agent job), the agent that runs it
 * and its input. JSON values are JSON text.
 */
public record JobSpec(
    UUID id,
    UUID workflowId,
    String stepId,
    Integer taskId,
    UUID parentJobId,
    String image,
    String handler,
    String runtime,
    String agentConfig,
    String input,
    String results,
    ExecutionMode executionMode,
    Duration timeout,
    int maxAttempts,
    int priority,
    UUID poolId) {

  /** Without a pool (a cold job). */
  public JobSpec(
      UUID id,
      UUID workflowId,
      String stepId,
      Integer taskId,
      UUID parentJobId,
      String image,
      String handler,
      String runtime,
      String agentConfig,
      String input,
      String results,
      ExecutionMode executionMode,
      Duration timeout,
      int maxAttempts,
      int priority) {
    this(
        id,
        workflowId,
        stepId,
        taskId,
        parentJobId,
        image,
        handler,
        runtime,
        agentConfig,
        input,
        results,
        executionMode,
        timeout,
        maxAttempts,
        priority,
        null);
  }

  public JobSpec {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(executionMode, "executionMode");
    if (stepId != null && workflowId == null) {
      throw new IllegalArgumentException("stepId: a step belongs to a workflow");
    }
    if ((executionMode == ExecutionMode.POOLED) != (poolId != null)) {
      throw new IllegalArgumentException("poolId: a pooled job has a pool, a cold one none");
    }
    if (taskId != null && stepId == null) {
      throw new IllegalArgumentException("taskId: a task belongs to a step");
    }
  }

  /** A plain agent job: no workflow, one attempt. */
  public static JobSpec standalone(
      String image, String handler, String runtime, String agentConfig, String input) {
    return new JobSpec(
        null,
        null,
        null,
        null,
        null,
        image,
        handler,
        runtime,
        agentConfig,
        input,
        null,
        ExecutionMode.COLD,
        null,
        1,
        0);
  }
}
