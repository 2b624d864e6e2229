package io.agentainer.flow.server.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A node of a run's DAG. It waits ({@code PENDING}) until its dependencies are done, then {@link
 * #start}s with the number of tasks it fans out to, counts each task's end ({@link #taskEnded}),
 * and ends when its tolerance decides. Counters: {@code total}, {@code succeeded}, {@code failed},
 * {@code running}.
 */
@Entity
@Table(name = "step")
public class StepRun {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "run_id", nullable = false)
  private UUID runId;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private String kind;

  @Column(nullable = false)
  private String status;

  private int total;
  private int succeeded;
  private int failed;
  private int running;
  private int attempt;

  @Column(name = "max_parallel")
  private Integer maxParallel;

  @Column(name = "child_run_id")
  private UUID childRunId;

  private String output;
  private String error;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "deadline_at")
  private Instant deadlineAt;

  @Version
  @Column(name = "row_version")
  private long rowVersion;

  protected StepRun() {}

  public static StepRun pending(UUID runId, String name, String kind, Integer maxParallel) {
    StepRun step = new StepRun();
    step.runId = runId;
    step.name = name;
    step.kind = kind;
    step.maxParallel = maxParallel;
    step.status = StepStatus.PENDING.name();
    step.attempt = 1;
    return step;
  }

  /** Starts with {@code tasks} tasks (zero: it succeeds at once, e.g. a map over nothing). */
  public void start(int tasks, Duration timeout, Clock clock) {
    move(StepStatus.RUNNING);
    total = tasks;
    succeeded = 0;
    failed = 0;
    running = tasks;
    Instant now = clock.instant();
    startedAt = now;
    deadlineAt = timeout == null ? null : now.plus(timeout);
  }

  /** One task ended. */
  public void taskEnded(boolean success) {
    if (status() != StepStatus.RUNNING) {
      return;
    }
    running = Math.max(0, running - 1);
    if (success) {
      succeeded++;
    } else {
      failed++;
    }
  }

  public boolean allTasksEnded() {
    return succeeded + failed >= total;
  }

  public void succeed(String output, Clock clock) {
    move(StepStatus.SUCCEEDED);
    this.output = output;
    finishedAt = clock.instant();
    running = 0;
  }

  public void fail(String error, Clock clock) {
    move(StepStatus.FAILED);
    this.error = error;
    finishedAt = clock.instant();
    running = 0;
  }

  public void skip(Clock clock) {
    move(StepStatus.SKIPPED);
    finishedAt = clock.instant();
  }

  public void cancel(String error, Clock clock) {
    move(StepStatus.CANCELLED);
    this.error = error;
    finishedAt = clock.instant();
    running = 0;
  }

  public void timeOut(String error, Clock clock) {
    move(StepStatus.TIMED_OUT);
    this.error = error;
    finishedAt = clock.instant();
    running = 0;
  }

  /** Back to waiting, for a retry of the run. */
  public void reset() {
    move(StepStatus.PENDING);
    attempt++;
    total = 0;
    succeeded = 0;
    failed = 0;
    running = 0;
    output = null;
    error = null;
    startedAt = null;
    finishedAt = null;
    deadlineAt = null;
    childRunId = null;
  }

  public void child(UUID childRunId) {
    this.childRunId = childRunId;
  }

  private void move(StepStatus to) {
    status = StepStatus.TRANSITIONS.check(status(), to).name();
  }

  public Long id() {
    return id;
  }

  public UUID runId() {
    return runId;
  }

  public String name() {
    return name;
  }

  public String kind() {
    return kind;
  }

  public StepStatus status() {
    return StepStatus.valueOf(status);
  }

  public int total() {
    return total;
  }

  public int succeeded() {
    return succeeded;
  }

  public int failed() {
    return failed;
  }

  public int running() {
    return running;
  }

  public int attempt() {
    return attempt;
  }

  public Integer maxParallel() {
    return maxParallel;
  }

  public UUID childRunId() {
    return childRunId;
  }

  public String output() {
    return output;
  }

  public String error() {
    return error;
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
