package io.agentainer.flow.server.run;

import io.agentainer.flow.server.common.Transitions;

/**
 * {@code PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED | TIMED_OUT}, or {@code PENDING ->
 * SKIPPED} when its condition is false (which counts as done for its dependants). A step that did
 * not succeed goes back to {@code PENDING} when its run is retried.
 */
public enum StepStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  SKIPPED,
  CANCELLED,
  TIMED_OUT;

  static final Transitions<StepStatus> TRANSITIONS =
      Transitions.of(StepStatus.class)
          .allow(PENDING, RUNNING, SKIPPED, CANCELLED, SUCCEEDED, FAILED)
          .allow(RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT)
          .allow(FAILED, PENDING)
          .allow(CANCELLED, PENDING)
          .allow(TIMED_OUT, PENDING)
          .build();

  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }

  /** Done in a way that lets its dependants go on. */
  public boolean letsDependantsRun() {
    return this == SUCCEEDED || this == SKIPPED;
  }
}
