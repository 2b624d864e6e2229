package io.agentainer.flow.sdk.workflow;

import io.agentainer.flow.sdk.client.JobRef;
import io.agentainer.flow.sdk.client.JobRequest;
import java.util.Optional;

/**
 * What a step's code can reach about the task it runs: the run's {@link #state()}, its ids, child
 * jobs and a log. Declare a {@code Context} parameter on a {@link Step} method to get it.
 */
public interface Context {

  /** The run ({@code workflowId}); empty for a job outside a workflow. */
  Optional<String> workflowId();

  /** The step's name. */
  String stepId();

  /** The task's number within its step (0 for a task step). */
  int taskId();

  /** The job running this task. */
  String jobId();

  /** The attempt, from 1. */
  int attempt();

  /** The run's state, with atomic operations. */
  State state();

  /**
   * Starts a child job: it inherits this run's {@code workflowId} and gets this job as its {@code
   * parentJobId}.
   */
  JobRef startJob(JobRequest request);

  /** A log whose lines reach the job's logs (the agent's output). */
  Log log();

  /** Whether the task was cancelled; long steps should stop when it is. */
  boolean isCancelled();

  /** A step's log: one line per call, prefixed with the step and task. */
  interface Log {

    /** An informational line. */
    void info(String message);

    /** A warning line. */
    void warn(String message);
  }
}
