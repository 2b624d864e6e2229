package io.agentainer.flow.server.run;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where runs and their steps are kept. The caller owns the transaction. */
public interface RunRepository {

  void add(WorkflowRun run);

  void add(StepRun step);

  Optional<WorkflowRun> find(UUID id);

  /** The run, its row locked until the transaction ends: one engine decision at a time per run. */
  Optional<WorkflowRun> lock(UUID id);

  /**
   * Holds a lock on an idempotency key until the transaction ends, so two starts with the same key
   * run one after the other and the second finds the first's run instead of colliding with it.
   */
  void lockIdempotencyKey(long definitionId, String key);

  Optional<WorkflowRun> findByIdempotencyKey(long definitionId, String key);

  /** A run's steps in the order of the definition's rows (insertion). */
  List<StepRun> steps(UUID runId);

  /** Runs newest first, optionally of one definition name and in some statuses. */
  List<RunRow> list(
      String definition,
      Collection<RunStatus> statuses,
      java.time.Instant from,
      java.time.Instant to,
      int offset,
      int limit);

  /** Runs created in {@code [from, to)} (either end open when null). */
  long count(
      String definition,
      Collection<RunStatus> statuses,
      java.time.Instant from,
      java.time.Instant to);

  /** Running runs and steps whose deadline has passed. */
  List<UUID> runsPastDeadline(java.time.Instant now, int limit);

  List<StepRun> stepsPastDeadline(java.time.Instant now, int limit);

  /** Queued jobs ahead of this run's first queued job, across all runs. */
  long queuePosition(UUID runId);

  /** A row of a run list: the run and its definition's name and version. */
  record RunRow(WorkflowRun run, String definition, int version) {}
}
