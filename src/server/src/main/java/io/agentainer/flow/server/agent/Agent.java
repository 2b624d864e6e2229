package io.agentainer.flow.server.agent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The record of an agent: which runtime holds it, where it listens, whom it served, how it ended. A
 * cold agent serves one job: it {@link #starts}, becomes {@link #busy} when ready and {@link
 * #stopped} after the job.
 */
@Entity
@Table(name = "agent")
public class Agent {

  @Id private UUID id;

  @Column(name = "pool_id")
  private UUID poolId;

  @Column(name = "node_id")
  private String nodeId;

  @Column(nullable = false)
  private String runtime;

  @Column(nullable = false)
  private String image;

  @Column(name = "container_id")
  private String containerId;

  private Long pid;
  private String endpoint;

  @Column(nullable = false)
  private String status;

  private int uses;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "ready_at")
  private Instant readyAt;

  @Column(name = "last_used_at")
  private Instant lastUsedAt;

  @Column(name = "stopped_at")
  private Instant stoppedAt;

  @Column(name = "stop_reason")
  private String stopReason;

  @Column(name = "job_id")
  private UUID jobId;

  @Column(name = "exit_code")
  private Integer exitCode;

  @Version
  @Column(name = "row_version")
  private long rowVersion;

  protected Agent() {}

  /** An agent just started by {@code handle}'s runtime, for {@code jobId} (null in a pool). */
  public static Agent starts(
      AgentHandle handle, String image, String nodeId, UUID jobId, Clock clock) {
    Agent agent = new Agent();
    agent.id = handle.agentId();
    agent.runtime = handle.runtime();
    agent.image = image;
    agent.nodeId = nodeId;
    agent.jobId = jobId;
    if ("docker".equals(handle.runtime())) {
      agent.containerId = handle.ref();
    } else {
      agent.pid = Long.valueOf(handle.ref());
    }
    agent.endpoint = handle.endpoint() == null ? null : handle.endpoint().toString();
    agent.status = AgentStatus.STARTING.name();
    agent.startedAt = clock.instant();
    return agent;
  }

  /** An agent just started by {@code handle}'s runtime for the pool {@code poolId}. */
  public static Agent pooled(
      AgentHandle handle, String image, String nodeId, UUID poolId, Clock clock) {
    Agent agent = starts(handle, image, nodeId, null, clock);
    agent.poolId = poolId;
    return agent;
  }

  /** A pooled agent answered its first health check: it waits for leases. */
  public void ready(Clock clock) {
    move(AgentStatus.IDLE);
    readyAt = clock.instant();
  }

  /** A pooled agent stopped after serving {@code uses} tasks. */
  public void retired(String reason, int uses, Integer exitCode, Clock clock) {
    this.uses = Math.max(this.uses, uses);
    stopped(reason, exitCode, clock);
  }

  public UUID poolId() {
    return poolId;
  }

  /** Ready and serving a job. */
  public void busy(Clock clock) {
    move(AgentStatus.BUSY);
    Instant now = clock.instant();
    if (readyAt == null) {
      readyAt = now;
    }
    lastUsedAt = now;
    uses++;
  }

  /** Stopped and removed, with why and the exit code when known. */
  public void stopped(String reason, Integer exitCode, Clock clock) {
    move(AgentStatus.STOPPED);
    stoppedAt = clock.instant();
    stopReason = reason;
    this.exitCode = exitCode;
  }

  /** It never became ready, or died. */
  public void failed(String reason, Integer exitCode, Clock clock) {
    move(AgentStatus.FAILED);
    stoppedAt = clock.instant();
    stopReason = reason;
    this.exitCode = exitCode;
  }

  private void move(AgentStatus to) {
    status = AgentStatus.TRANSITIONS.check(status(), to).name();
  }

  public UUID id() {
    return id;
  }

  public AgentStatus status() {
    return AgentStatus.valueOf(status);
  }

  public String runtime() {
    return runtime;
  }

  public String image() {
    return image;
  }

  public String containerId() {
    return containerId;
  }

  public Long pid() {
    return pid;
  }

  public String endpoint() {
    return endpoint;
  }

  public int uses() {
    return uses;
  }

  public UUID jobId() {
    return jobId;
  }

  public Integer exitCode() {
    return exitCode;
  }

  public String stopReason() {
    return stopReason;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant readyAt() {
    return readyAt;
  }

  public Instant stoppedAt() {
    return stoppedAt;
  }
}
