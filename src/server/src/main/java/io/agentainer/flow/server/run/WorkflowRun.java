package io.agentainer.flow.server.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One execution of a definition version (its id is the jobs' {@code workflowId}). It {@link
 * #start}s {@code RUNNING}, and ends with {@link #succeed}, {@link #fail}, {@link #cancel} or
 * {@link #timeOut}; a run that did not succeed may {@link #retry} from its failed steps. The
 * version of the definition it started with is fixed for its whole life.
 */
@Entity
@Table(name = "run")
public class WorkflowRun {

  @Id private UUID id;

  @Column(name = "definition_id", nullable = false)
  private long definitionId;

  @Column(nullable = false)
  private String status;

  private String input;
  private String output;
  private String error;

  @Column(name = "idempotency_key")
  private String idempotencyKey;

  @Column(name = "parent_run_id")
  private UUID parentRunId;

  @Column(name = "parent_step_name")
  private String parentStepName;

  @Column(name = "trigger_kind", nullable = false)
  private String triggerKind;

  private int priority;

  @Column(name = "max_parallel")
  private Integer maxParallel;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "deadline_at")
  private Instant deadlineAt;

  @Version
  @Column(name = "row_version")
  private long rowVersion;

  protected WorkflowRun() {}

  /** A run of {@code definitionId} that starts now. */
  public static WorkflowRun start(
      long definitionId,
      String input,
      String idempotencyKey,
      String triggerKind,
      Integer maxParallel,
      Duration timeout,
      Clock clock) {
    WorkflowRun run = new WorkflowRun();
    run.id = UUID.randomUUID();
    run.definitionId = definitionId;
    run.input = input;
    run.idempotencyKey = idempotencyKey;
    run.triggerKind = triggerKind == null ? "api" : triggerKind;
    run.maxParallel = maxParallel;
    Instant now = clock.instant();
    run.createdAt = now;
    run.startedAt = now;
    run.deadlineAt = timeout == null ? null : now.plus(timeout);
    run.status = RunStatus.RUNNING.name();
    return run;
  }

  /** This run is the child of {@code parentRunId}'s step {@code stepName}. */
  public void childOf(UUID parentRunId, String stepName) {
    this.parentRunId = parentRunId;
    this.parentStepName = stepName;
    this.triggerKind = "workflow";
  }

  public void succeed(String output, Clock clock) {
    move(RunStatus.SUCCEEDED);
    this.output = output;
    this.error = null;
    finishedAt = clock.instant();
  }

  public void fail(String error, Clock clock) {
    move(RunStatus.FAILED);
    this.error = error;
    finishedAt = clock.instant();
  }

  public void cancel(String error, Clock clock) {
    move(RunStatus.CANCELLED);
    this.error = error;
    finishedAt = clock.instant();
  }

  public void timeOut(String error, Clock clock) {
    move(RunStatus.TIMED_OUT);
    this.error = error;
    finishedAt = clock.instant();
  }

  /** Runs again from the steps that did not succeed, with a fresh deadline. */
  public void retry(Duration timeout, Clock clock) {
    move(RunStatus.RUNNING);
    error = null;
    output = null;
    finishedAt = null;
    deadlineAt = timeout == null ? null : clock.instant().plus(timeout);
  }

  private void move(RunStatus to) {
    status = RunStatus.TRANSITIONS.check(status(), to).name();
  }

  public UUID id() {
    return id;
  }

  public long definitionId() {
    return definitionId;
  }

  public RunStatus status() {
    return RunStatus.valueOf(status);
  }

  public String input() {
    return input;
  }

  public String output() {
    return output;
  }

  public String error() {
    return error;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  public UUID parentRunId() {
    return parentRunId;
  }

  public String parentStepName() {
    return parentStepName;
  }

  public String triggerKind() {
    return triggerKind;
  }

  public Integer maxParallel() {
    return maxParallel;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Instant deadlineAt() {
    return deadlineAt;
  }
}
