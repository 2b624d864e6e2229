package io.agentainer.flow.server.job;

import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentLabels;
import io.agentainer.flow.server.agent.AgentRuntime;
import io.agentainer.flow.server.agent.AgentRuntimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts right what a dead node left behind. Jobs whose lease ran out (their node stopped renewing
 * it) end with {@code node_lost}, or go back to the queue when attempts are left. Labelled agents
 * that no live job owns are removed: the ones of this node from before a restart, and the ones
 * whose job has ended or moved on.
 */
@ApplicationScoped
public class JobRecovery {

  private static final Logger LOG = Logger.getLogger(JobRecovery.class.getName());

  @Inject JobRepository jobs;
  @Inject AgentRuntimes runtimes;
  @Inject JobRunner runner;
  @Inject io.agentainer.flow.server.pool.PoolManager pools;
  @Inject Clock clock;
  @Inject Event<JobEvent> events;

  /**
   * After this node starts: its running jobs from before belong to no live process any more.
   *
   * @return how many jobs were ended or re-queued
   */
  @Transactional
  public int recoverOwnJobs(String nodeId) {
    List<Job> orphans = jobs.runningOn(nodeId);
    orphans.forEach(job -> endLost(job, "the server node restarted while the job ran"));
    return orphans.size();
  }

  /** Jobs of any node whose lease has expired. */
  @Transactional
  public int recoverExpiredLeases() {
    List<Job> expired = jobs.expiredLeases(clock.instant(), 100);
    expired.forEach(
        job -> endLost(job, "the server node " + job.leaseOwner() + " stopped renewing its lease"));
    return expired.size();
  }

  /**
   * A job whose node died goes back to the queue at once, without using up one of its attempts: the
   * job did not fail, its node did. Its next attempt has a new number, so a late result of the lost
   * attempt is refused.
   */
  private void endLost(Job job, String message) {
    JobError error = new JobError("node_lost", message, true);
    job.requeueLost(JobErrors.json(error), clock);
    events.fire(new JobEvent.Ended(job.id(), job.status()));
    LOG.info(() -> "job " + job.id() + ": " + message + "; now " + job.status());
  }

  /**
   * Removes labelled agents that no live job owns.
   *
   * @return how many were removed
   */
  public int removeOrphanAgents(String nodeId) {
    int removed = 0;
    Set<UUID> mine = runner.runningJobs();
    for (AgentRuntime runtime : runtimes.all()) {
      List<AgentHandle> labelled;
      try {
        if (!runtime.available()) {
          continue;
        }
        labelled = runtime.listLabelled();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "cannot list the agents of " + runtime.name(), e);
        continue;
      }
      for (AgentHandle agent : labelled) {
        if (owned(agent, nodeId, mine)) {
          continue;
        }
        try {
          runtime.stop(agent);
          removed++;
          LOG.info(
              () ->
                  "removed orphan agent "
                      + agent.ref()
                      + " of job "
                      + agent.label(AgentLabels.JOB));
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "cannot remove orphan agent " + agent.ref(), e);
        }
      }
    }
    return removed;
  }

  private boolean owned(AgentHandle agent, String nodeId, Set<UUID> mine) {
    String node = agent.label(AgentLabels.NODE);
    UUID jobId = uuid(agent.label(AgentLabels.JOB)).orElse(null);
    if (nodeId.equals(node)) {
      if (jobId == null) { // a pooled agent: its pool on this node knows it
        return uuid(agent.label(AgentLabels.AGENT)).map(pools::owns).orElse(false);
      }
      return mine.contains(jobId);
    }
    if (jobId == null) {
      return true; // not started for a job of ours: not ours to judge
    }
    // another node's agent: it lives while that node holds a lease on the job; a job this
    // database does not know belongs to another installation sharing the engine
    return jobs.find(jobId)
        .map(
            job ->
                job.status() == JobStatus.RUNNING
                    && node != null
                    && node.equals(job.leaseOwner())
                    && job.leaseExpiresAt() != null
                    && job.leaseExpiresAt().isAfter(clock.instant()))
        .orElse(true);
  }

  private static Optional<UUID> uuid(String text) {
    try {
      return text == null ? Optional.empty() : Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
