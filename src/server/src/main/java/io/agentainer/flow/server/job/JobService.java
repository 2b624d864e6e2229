package io.agentainer.flow.server.job;

import io.agentainer.flow.server.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Jobs as clients see them: submit, read, list, cancel. */
@ApplicationScoped
public class JobService {

  private final JobRepository jobs;
  private final Clock clock;
  private final Event<JobEvent> events;

  @Inject
  public JobService(JobRepository jobs, Clock clock, Event<JobEvent> events) {
    this.jobs = jobs;
    this.clock = clock;
    this.events = events;
  }

  /** For CDI's proxy. */
  protected JobService() {
    this(null, null, null);
  }

  /**
   * Queues a job; the dispatcher hears of it once the transaction commits.
   *
   * @throws ApiException 400 when the parent job does not exist; 409 when a job of a run starts a
   *     child after it has stopped running
   */
  @Transactional
  public Job submit(JobSpec spec) {
    if (spec.parentJobId() != null) {
      Job parent =
          jobs.find(spec.parentJobId())
              .orElseThrow(
                  () -> ApiException.badRequest("parentJobId", "no job " + spec.parentJobId()));
      if (spec.workflowId() != null) {
        requireRunning(parent);
      }
    }
    Job job = Job.queue(spec, clock);
    jobs.add(job);
    events.fire(new JobEvent.Queued(job.id()));
    return job;
  }

  /**
   * A job of a run starts child jobs only while it runs: once it has ended, or waits to be retried,
   * no one waits for its children, and its token, which stays valid, must not add work to the run.
   * Read without a lock: a child that slips in as its parent ends is no different from one started
   * a moment before.
   *
   * @throws ApiException 409 naming {@code parentJobId} when {@code parent} is not running
   */
  static void requireRunning(Job parent) {
    if (parent.status() != JobStatus.RUNNING) {
      throw new ApiException(
          409,
          "conflict",
          "parentJobId: job "
              + parent.id()
              + " is "
              + parent.status()
              + ", not RUNNING: a job starts child jobs only while it runs",
          Map.of("field", "parentJobId"));
    }
  }

  @Transactional
  public Job get(UUID id) {
    return jobs.find(id).orElseThrow(() -> ApiException.notFound("job", id));
  }

  @Transactional
  public List<Job> list(UUID workflowId, Collection<JobStatus> statuses, int offset, int limit) {
    return jobs.list(workflowId, statuses, offset, limit);
  }

  @Transactional
  public long count(UUID workflowId, Collection<JobStatus> statuses) {
    return jobs.count(workflowId, statuses);
  }

  @Transactional
  public List<Job> listOfWorkflow(
      UUID workflowId, Collection<JobStatus> statuses, int offset, int limit) {
    return jobs.listOfWorkflow(workflowId, statuses, offset, limit);
  }

  /**
   * Cancels a queued or running job; the node running it stops its agent once this commits.
   *
   * @throws ApiException 409 when the job has already ended
   */
  @Transactional
  public Job cancel(UUID id, String reason) {
    Job job = get(id);
    if (job.status().isFinal()) {
      throw ApiException.conflict("job " + id + " has already ended: " + job.status());
    }
    boolean wasRunning = job.status() == JobStatus.RUNNING;
    job.cancel(JobErrors.json(new JobError("cancelled", reason, false)), clock);
    events.fire(new JobEvent.Cancelled(job.id(), wasRunning));
    return job;
  }

  /** Saves the running job's progress (JSON) for a retry to read back. */
  @Transactional
  public void saveCheckpoint(UUID id, String json) {
    get(id).saveCheckpoint(json);
  }
}
