package io.agentainer.flow.server.job;

import io.agentainer.flow.server.agent.Agent;
import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentRepository;
import io.agentainer.flow.server.agent.AgentStatus;
import io.agentainer.flow.server.agent.TaskOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Records what happened to a running job, each in one transaction with the job row locked: its
 * agent started and became ready, and its outcome (succeed, fail, or back to the queue for the next
 * attempt). A result for an attempt that is no longer current (the job was cancelled, or its lease
 * was taken over) is refused, so no job completes twice.
 */
@ApplicationScoped
public class JobCompletion {

  static final int MAX_LOG_CHARS = 64 * 1024;

  @Inject EntityManager em;
  @Inject AgentRepository agents;
  @Inject Clock clock;
  @Inject Event<JobEvent> events;

  /** Records a started agent for the job. */
  @Transactional
  public void agentStarted(AgentHandle handle, String image, String nodeId, UUID jobId) {
    agents.add(Agent.starts(handle, image, nodeId, jobId, clock));
  }

  /**
   * The job's agent is ready after {@code acquireMillis}.
   *
   * @return false when the attempt is no longer current (cancelled meanwhile): do not send it
   */
  @Transactional
  public boolean agentReady(UUID jobId, int attempt, UUID agentId, long acquireMillis) {
    Job job = lock(jobId);
    agents.find(agentId).ifPresent(agent -> agent.busy(clock));
    if (!job.isCurrent(attempt)) {
      return false;
    }
    job.agentReady(agentId, acquireMillis);
    return true;
  }

  /**
   * Ends the attempt with {@code outcome}, keeps the agent's logs, and records how the agent ended.
   *
   * @return the job's status afterwards
   */
  @Transactional
  public JobStatus finish(
      UUID jobId, int attempt, JobOutcome outcome, String logs, UUID agentId, Integer exitCode) {
    lockRunOf(jobId);
    Job job = lock(jobId);
    if (agentId != null) {
      agents.find(agentId).ifPresent(agent -> stopOnce(agent, outcome.agentStopReason(), exitCode));
    }
    if (logs != null && !logs.isEmpty() && (job.attempt() == attempt || job.logs() == null)) {
      job.recordLogs(logs, MAX_LOG_CHARS);
    }
    if (!job.isCurrent(attempt)) {
      return job.status();
    }
    return end(job, outcome);
  }

  /**
   * Ends an attempt that a pooled agent served ({@code agentId}, null when it got none), leased
   * after {@code acquireMillis}; the agent lives on in its pool. {@code logs} (null for none) are
   * the agent's when its task crashed it.
   *
   * @return the job's status afterwards
   */
  @Transactional
  public JobStatus finishPooled(
      UUID jobId,
      int attempt,
      JobOutcome outcome,
      UUID agentId,
      long acquireMillis,
      boolean coldStart,
      String logs) {
    lockRunOf(jobId);
    Job job = lock(jobId);
    if (!job.isCurrent(attempt)) {
      return job.status();
    }
    if (logs != null && !logs.isEmpty()) {
      job.recordLogs(logs, MAX_LOG_CHARS);
    }
    if (agentId != null) {
      job.pooledAgent(agentId, acquireMillis, coldStart);
    }
    return end(job, outcome);
  }

  private JobStatus end(Job job, JobOutcome outcome) {
    if (outcome.outcome() instanceof TaskOutcome.Succeeded ok) {
      job.succeed(ok.output(), clock);
    } else {
      JobError error = outcome.error();
      if (error.retryable() && job.hasAttemptsLeft()) {
        job.retry(
            JobErrors.json(error),
            RetryPolicy.of(job.agentConfig()).delayAfter(job.attempt()),
            clock);
      } else {
        job.fail(JobErrors.json(error), clock);
      }
    }
    events.fire(new JobEvent.Ended(job.id(), job.status()));
    return job.status();
  }

  /** A cancelled job's agent was removed: keeps its logs and records why it stopped. */
  @Transactional
  public void agentRemoved(UUID jobId, String logs, UUID agentId, String reason) {
    Job job = lock(jobId);
    if (logs != null && !logs.isEmpty()) {
      job.recordLogs(logs, MAX_LOG_CHARS);
    }
    agents.find(agentId).ifPresent(agent -> stopOnce(agent, reason, null));
  }

  private void stopOnce(Agent agent, String reason, Integer exitCode) {
    if (agent.status() != AgentStatus.STOPPED && agent.status() != AgentStatus.FAILED) {
      agent.stopped(reason, exitCode, clock);
    }
  }

  /**
   * Locks the job's run before the job: every transaction that changes a run's rows takes the run
   * first (the run engine, a cancel), so parallel jobs of one run that end at once queue on the run
   * instead of each holding its job row while the run's decision needs it (a deadlock).
   */
  private void lockRunOf(UUID jobId) {
    List<?> run =
        em.createNativeQuery("select run_id from job where id = ?1")
            .setParameter(1, jobId)
            .getResultList();
    if (!run.isEmpty() && run.get(0) != null) {
      em.createNativeQuery("select id from run where id = ?1 for no key update")
          .setParameter(1, run.get(0))
          .getResultList();
    }
  }

  private Job lock(UUID jobId) {
    Job job = em.find(Job.class, jobId, LockModeType.PESSIMISTIC_WRITE);
    if (job == null) {
      throw new IllegalStateException("job " + jobId + " is gone");
    }
    return job;
  }
}
