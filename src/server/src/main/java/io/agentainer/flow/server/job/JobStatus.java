package io.agentainer.flow.server.job;

import io.agentainer.flow.server.common.Transitions;

/**
 * {@code QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED}; a running job that will be retried
 * goes back to {@code QUEUED} with its next attempt; a queued job may be cancelled.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  static final Transitions<JobStatus> TRANSITIONS =
      Transitions.of(JobStatus.class)
          .allow(QUEUED, RUNNING, CANCELLED)
          .allow(RUNNING, SUCCEEDED, FAILED, CANCELLED, QUEUED)
          .build();

  public boolean isFinal() {
    return TRANSITIONS.isFinal(this);
  }
}
