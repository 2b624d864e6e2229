package io.agentainer.flow.server.event;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to a run, a step or a job: a row of the append-only event log. Types are
 * dotted words: {@code run.started}, {@code step.progress}, {@code job.failed}.
 */
@Entity
@Table(name = "event")
public class Event {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "run_id")
  private UUID runId;

  @Column(name = "job_id")
  private UUID jobId;

  @Column(name = "step_name")
  private String stepName;

  @Column(nullable = false)
  private String type;

  private String payload;

  @Column(nullable = false)
  private Instant at;

  protected Event() {}

  public Event(UUID runId, String stepName, UUID jobId, String type, String payload, Instant at) {
    this.runId = runId;
    this.stepName = stepName;
    this.jobId = jobId;
    this.type = type;
    this.payload = payload;
    this.at = at;
  }

  public Long id() {
    return id;
  }

  public UUID runId() {
    return runId;
  }

  public UUID jobId() {
    return jobId;
  }

  public String stepName() {
    return stepName;
  }

  public String type() {
    return type;
  }

  public String payload() {
    return payload;
  }

  public Instant at() {
    return at;
  }
}
