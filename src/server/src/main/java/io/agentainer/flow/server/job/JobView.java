package io.agentainer.flow.server.job;

import static io.agentainer.flow.server.common.JsonText.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A job as the API shows it ({@code GET /api/jobs/{id}}, rows of job lists). */
public record JobView(
    UUID id,
    UUID workflowId,
    String stepId,
    Integer taskId,
    UUID parentJobId,
    String status,
    int attempt,
    int maxAttempts,
    String executionMode,
    String runtime,
    String image,
    String handler,
    JsonNode input,
    JsonNode output,
    JobError error,
    UUID agentId,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Long agentAcquireMs,
    UUID poolId,
    Boolean coldStart) {

  public static JobView of(Job job) {
    return new JobView(
        job.id(),
        job.workflowId(),
        job.stepId(),
        job.taskId(),
        job.parentJobId(),
        job.status().name(),
        job.attempt(),
        job.maxAttempts(),
        job.executionMode().wire(),
        job.runtime(),
        job.image(),
        job.handler(),
        tree(job.input()),
        tree(job.output()),
        JobErrors.parse(job.error()).orElse(null),
        job.agentId(),
        job.queuedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.agentAcquireMs(),
        job.poolId(),
        job.coldStart());
  }
}
