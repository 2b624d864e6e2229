package io.agentainer.flow.server.job;

import io.agentainer.flow.server.common.IllegalTransitionException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One task on one agent. A job carries its workflow metadata ({@code workflowId} = the run, {@code
 * stepId}, {@code taskId}, {@code parentJobId}); without it, it is a plain agent job and works the
 * same.
 *
 * <p>Life: {@link #queue} creates it {@code QUEUED}; a node {@link #claim}s it ({@code RUNNING},
 * leased to that node); the agent that serves it is recorded with {@link #agentReady}; it ends with
 * {@link #succeed}, {@link #fail} or {@link #cancel}, or goes back to the queue for its next
 * attempt with {@link #retry}. A result for an attempt that is no longer the current one is refused
 * ({@link #isCurrent}), so no job completes twice. JSON values ({@code input}, {@code output},
 * {@code error}, {@code agentConfig}) are kept as JSON text.
 */
@Entity
@Table(name = "job")
public class Job {

  @Id private UUID id;

  @Column(name = "run_id")
  private UUID workflowId;

  @Column(name = "step_name")
  private String stepId;

  @Column(name = "task_id")
  private Integer taskId;

  @Column(name = "parent_job_id")
  private UUID parentJobId;

  private int attempt;

  @Column(name = "max_attempts")
  private int maxAttempts;

  @Column(nullable = false)
  private String status;

  @Column(name = "execution_mode", nullable = false)
  private String executionMode;

  @Column(nullable = false)
  private String runtime;

  @Column(nullable = false)
  private String image;

  private String handler;

  @Column(name = "agent_config")
  private String agentConfig;

  private String input;
  private String results;
  private String checkpoint;
  private String output;
  private String error;

  @Column(name = "agent_id")
  private UUID agentId;

  @Column(name = "pool_id")
  private UUID poolId;

  private int priority;

  @Column(name = "timeout_ms")
  private Long timeoutMs;

  @Column(name = "queued_at", nullable = false)
  private Instant queuedAt;

  @Column(name = "due_at", nullable = false)
  private Instant dueAt;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "agent_acquire_ms")
  private Long agentAcquireMs;

  @Column(name = "cold_start")
  private Boolean coldStart;

  @Column(name = "lease_owner")
  private String leaseOwner;

  @Column(name = "lease_expires_at")
  private Instant leaseExpiresAt;

  private String logs;

  @Version
  @Column(name = "row_version")
  private long rowVersion;

  protected Job() {}

  /** A new job, queued now and due at once. */
  public static Job queue(JobSpec spec, Clock clock) {
    Objects.requireNonNull(spec, "spec");
    Job job = new Job();
    job.id = spec.id() != null ? spec.id() : UUID.randomUUID();
    job.workflowId = spec.workflowId();
    job.stepId = spec.stepId();
    job.taskId = spec.taskId();
    job.parentJobId = spec.parentJobId();
    job.attempt = 1;
    job.maxAttempts = Math.max(1, spec.maxAttempts());
    job.status = JobStatus.QUEUED.name();
    job.executionMode = spec.executionMode().wire();
    job.runtime = spec.runtime();
    job.image = spec.image();
    job.handler = spec.handler();
    job.agentConfig = spec.agentConfig();
    job.input = spec.input();
    job.results = spec.results();
    job.priority = spec.priority();
    job.poolId = spec.poolId();
    job.timeoutMs = spec.timeout() == null ? null : spec.timeout().toMillis();
    Instant now = clock.instant();
    job.queuedAt = now;
    job.dueAt = now;
    return job;
  }

  /** This node takes the job to run it, holding a lease until {@code leaseUntil}. */
  public void claim(String nodeId, Instant leaseUntil, Clock clock) {
    move(JobStatus.RUNNING);
    startedAt = clock.instant();
    leaseOwner = Objects.requireNonNull(nodeId, "nodeId");
    leaseExpiresAt = leaseUntil;
  }

  /** The agent that serves this attempt answered its health check after {@code acquireMillis}. */
  public void agentReady(UUID agentId, long acquireMillis) {
    requireStatus(JobStatus.RUNNING);
    this.agentId = agentId;
    this.agentAcquireMs = acquireMillis;
    this.coldStart = true;
  }

  /**
   * A pooled agent served this attempt, leased after {@code acquireMillis}; {@code coldStart} when
   * it was started for this lease.
   */
  public void pooledAgent(UUID agentId, long acquireMillis, boolean coldStart) {
    requireStatus(JobStatus.RUNNING);
    this.agentId = agentId;
    this.agentAcquireMs = acquireMillis;
    this.coldStart = coldStart;
  }

  public UUID poolId() {
    return poolId;
  }

  /** Whether an agent was started for this attempt; null before it got one. */
  public Boolean coldStart() {
    return coldStart;
  }

  public void succeed(String output, Clock clock) {
    move(JobStatus.SUCCEEDED);
    this.output = output;
    this.error = null;
    finish(clock);
  }

  public void fail(String errorJson, Clock clock) {
    move(JobStatus.FAILED);
    this.error = errorJson;
    finish(clock);
  }

  /** Cancels a queued or running job. */
  public void cancel(String errorJson, Clock clock) {
    move(JobStatus.CANCELLED);
    this.error = errorJson;
    finish(clock);
  }

  /**
   * The running attempt failed and another is allowed: back to the queue, due after {@code delay}.
   */
  public void retry(String errorJson, Duration delay, Clock clock) {
    if (!hasAttemptsLeft()) {
      throw new IllegalStateException("job " + id + " has no attempts left");
    }
    move(JobStatus.QUEUED);
    attempt++;
    error = errorJson;
    dueAt = clock.instant().plus(delay);
    startedAt = null;
    agentId = null;
    agentAcquireMs = null;
    leaseOwner = null;
    leaseExpiresAt = null;
  }

  /** Claimed but never started (no thread to run it): back to the queue, the same attempt. */
  public void unclaim() {
    if (agentId != null) {
      throw new IllegalStateException("job " + id + " has an agent already");
    }
    move(JobStatus.QUEUED);
    startedAt = null;
    leaseOwner = null;
    leaseExpiresAt = null;
  }

  /** Its node died while it ran: queued again at once as a new attempt, the budget unchanged. */
  public void requeueLost(String errorJson, Clock clock) {
    maxAttempts++;
    retry(errorJson, Duration.ZERO, clock);
  }

  /**
   * A step run again after its run failed starts its jobs after the attempts of the earlier ones,
   * so attempt numbers keep counting across retries of the run. Only before it is first claimed.
   */
  public void continueFromAttempt(int previousAttempts) {
    if (status() != JobStatus.QUEUED || startedAt != null) {
      throw new IllegalStateException("job " + id + " has already started");
    }
    attempt += previousAttempts;
    maxAttempts += previousAttempts;
  }

  public boolean hasAttemptsLeft() {
    return attempt < maxAttempts;
  }

  /** Whether a result for {@code attempt} of this job may still be recorded. */
  public boolean isCurrent(int attempt) {
    return this.attempt == attempt && status() == JobStatus.RUNNING;
  }

  /** The lease of this node's running job is extended. */
  public void renewLease(Instant until) {
    if (status() == JobStatus.RUNNING && until.isAfter(leaseExpiresAt)) {
      leaseExpiresAt = until;
    }
  }

  /** Keeps the tail of the agent's output. */
  public void recordLogs(String text, int maxChars) {
    if (text == null) {
      return;
    }
    logs = text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
  }

  private void finish(Clock clock) {
    finishedAt = clock.instant();
    leaseOwner = null;
    leaseExpiresAt = null;
  }

  private void move(JobStatus to) {
    status = JobStatus.TRANSITIONS.check(status(), to).name();
  }

  private void requireStatus(JobStatus expected) {
    if (status() != expected) {
      throw new IllegalTransitionException("Job", status, expected.name());
    }
  }

  public UUID id() {
    return id;
  }

  public UUID workflowId() {
    return workflowId;
  }

  public String stepId() {
    return stepId;
  }

  public Integer taskId() {
    return taskId;
  }

  public UUID parentJobId() {
    return parentJobId;
  }

  public int attempt() {
    return attempt;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public JobStatus status() {
    return JobStatus.valueOf(status);
  }

  public ExecutionMode executionMode() {
    return ExecutionMode.fromWire(executionMode);
  }

  public String runtime() {
    return runtime;
  }

  public String image() {
    return image;
  }

  public String handler() {
    return handler;
  }

  public String agentConfig() {
    return agentConfig;
  }

  public String input() {
    return input;
  }

  public String output() {
    return output;
  }

  /** The progress its last attempt saved (JSON), which a retry reads back; null when none. */
  public String checkpoint() {
    return checkpoint;
  }

  /** Saves the progress of the running attempt (JSON). */
  public void saveCheckpoint(String json) {
    if (status() != JobStatus.RUNNING) {
      throw new IllegalTransitionException(
          "job " + id + " (only a running job saves a checkpoint)", status, "checkpoint");
    }
    this.checkpoint = json;
  }

  /** A reduce job's upstream results (JSON list), or null. */
  public String results() {
    return results;
  }

  public String error() {
    return error;
  }

  public UUID agentId() {
    return agentId;
  }

  public int priority() {
    return priority;
  }

  public Duration timeout() {
    return timeoutMs == null ? null : Duration.ofMillis(timeoutMs);
  }

  public Instant queuedAt() {
    return queuedAt;
  }

  public Instant dueAt() {
    return dueAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Long agentAcquireMs() {
    return agentAcquireMs;
  }

  public String leaseOwner() {
    return leaseOwner;
  }

  public Instant leaseExpiresAt() {
    return leaseExpiresAt;
  }

  public String logs() {
    return logs;
  }
}
