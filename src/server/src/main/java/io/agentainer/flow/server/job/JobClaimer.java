package io.agentainer.flow.server.job;

import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Claims due jobs for this node: locked with {@code SKIP LOCKED}, leased, marked running. */
@ApplicationScoped
public class JobClaimer {

  @Inject JobRepository jobs;
  @Inject FlowSettings settings;
  @Inject Clock clock;
  @Inject EventLog events;

  /**
   * Jobs this node claimed. {@code contended}: it could have taken more, but another node held them
   * at that moment; look again shortly.
   */
  public record Claim(List<ClaimedJob> jobs, boolean contended) {}

  @Transactional
  public Claim claim(String nodeId, int limit) {
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(settings.jobLease());
    JobRepository.DueJobs due = jobs.lockDueJobs(now, limit);
    List<ClaimedJob> claimed =
        due.jobs().stream()
            .map(
                job -> {
                  job.claim(nodeId, leaseUntil, clock);
                  if (job.workflowId() != null) {
                    events.record(
                        job.workflowId(),
                        job.stepId(),
                        job.id(),
                        "job.running",
                        Map.of("attempt", job.attempt()));
                  }
                  return ClaimedJob.of(job, settings.jobTimeout());
                })
            .toList();
    return new Claim(claimed, due.othersHeldSome());
  }

  /** When the next queued job falls due after {@code after}, if one does. */
  @Transactional
  public Optional<Instant> nextDueAfter(Instant after) {
    return jobs.nextDueAfter(after);
  }

  /** Gives back a job this node claimed but could not start. */
  @Transactional
  public void unclaim(java.util.UUID jobId, int attempt) {
    jobs.find(jobId).filter(job -> job.isCurrent(attempt)).ifPresent(Job::unclaim);
  }
}
