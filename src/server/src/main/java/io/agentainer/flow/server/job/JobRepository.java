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
   * Locks up to {@code limit} queued jobs due at {@code now} that their run's and step's {@code
   * maxParallel} allow, fairly across runs, skipping jobs other transactions hold ({@code FOR
   * UPDATE SKIP LOCKED}).
   */
  List<Job> lockDue(Instant now, int limit);

  /**
   * {@link #lockDue}, telling also whether jobs it could have taken were held by another
   * transaction. A repository that cannot tell answers that none were.
   */
  default DueJobs lockDueJobs(Instant now, int limit) {
    return new DueJobs(lockDue(now, limit), false);
  }

  /**
   * The jobs {@link #lockDueJobs} locked. {@code othersHeldSome}: it took fewer than it was allowed
   * while jobs it could have taken were held by another transaction (another node claiming them) or
   * had just left the queue, so the queue is worth another look shortly.
   */
  record DueJobs(List<Job> jobs, boolean othersHeldSome) {}

  /** When the earliest queued job falls (or fell) due, if any is queued. */
  Optional<Instant> nextDue();

  /**
   * When the next queued job falls due after {@code after}, if one does. Jobs due earlier that are
   * still queued wait for their run's or step's limits, not for a time. A repository that cannot
   * ask for it answers from {@link #nextDue}, so only when no queued job is due at {@code after}.
   */
  default Optional<Instant> nextDueAfter(Instant after) {
    return nextDue().filter(due -> due.isAfter(after));
  }

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
