package io.agentainer.flow.server.job;

import java.time.Duration;
import java.util.UUID;

/** What a node needs to run one attempt of a job, read when it claimed it. */
public record ClaimedJob(
    UUID id,
    int attempt,
    UUID workflowId,
    String stepId,
    Integer taskId,
    UUID parentJobId,
    String runtime,
    String image,
    String handler,
    String agentConfig,
    String input,
    String results,
    String checkpoint,
    Duration timeout,
    UUID poolId) {

  /** Whether a pooled agent runs it. */
  public boolean pooled() {
    return poolId != null;
  }

  static ClaimedJob of(Job job, Duration defaultTimeout) {
    return new ClaimedJob(
        job.id(),
        job.attempt(),
        job.workflowId(),
        job.stepId(),
        job.taskId(),
        job.parentJobId(),
        job.runtime(),
        job.image(),
        job.handler(),
        job.agentConfig(),
        job.input(),
        job.results(),
        job.checkpoint(),
        job.timeout() != null ? job.timeout() : defaultTimeout,
        job.executionMode() == ExecutionMode.POOLED ? job.poolId() : null);
  }
}
