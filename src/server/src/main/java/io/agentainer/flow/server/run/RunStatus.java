package io.agentainer.flow.server.run;

import io.agentainer.flow.server.common.Transitions;

/**
 * {@code PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED | TIMED_OUT}; a run that ended
 * without success may run again from its failed steps ({@code retry}).
 */
public enum RunStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  static final Transitions<RunStatus> TRANSITIONS =
      Transitions.of(RunStatus.class)
          .allow(PENDING, RUNNING, CANCELLED, FAILED)
          .allow(RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT)
          .allow(FAILED, RUNNING)
          .allow(CANCELLED, RUNNING)
          .allow(TIMED_OUT, RUNNING)
          .build();

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
  }
}
