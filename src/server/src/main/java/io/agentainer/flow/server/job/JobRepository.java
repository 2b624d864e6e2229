package io.agentainer.flow.server.job;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where jobs are kept. The caller owns the transaction. */
public interface JobRepository {

  void add(Job job);

  Optional<Job> find(UUID id);

  /** Jobs newest first, optionally of one workflow and in some statuses. */
  List<Job> list(UUID workflowId, Collection<JobStatus> statuses, int offset, int limit);

  long count(UUID workflowId, Collection<JobStatus> statuses);

  /** A workflow's jobs ordered by step, then task, then attempt. */
  List<Job> listOfWorkflow(UUID workflowId, Collection<JobStatus> statuses, int offset, int limit);

  /**
   * Locks up to {@code limit} queued jobs due at {@code now}, skipping jobs other nodes hold
   * ({@code FOR UPDATE SKIP LOCKED}), highest priority and oldest first.
   */
  List<Job> lockDue(Instant now, int limit);

  /** When the next queued job falls due, if any is queued. */
  Optional<Instant> nextDue();

  /** Running jobs whose lease ended before {@code now}: their node stopped renewing it. */
  List<Job> expiredLeases(Instant now, int limit);

  /** Running jobs leased to {@code nodeId}. */
  List<Job> runningOn(String nodeId);

  /** Extends the leases of {@code nodeId}'s running jobs; returns how many. */
  /**
   * Extends the leases this node holds on {@code running}, the jobs it is working on now; a job it
   * holds but no longer works on (its thread ended without recording the end) is left to expire and
   * be recovered.
   */
  int renewLeases(String nodeId, Collection<UUID> running, Instant until);
}
