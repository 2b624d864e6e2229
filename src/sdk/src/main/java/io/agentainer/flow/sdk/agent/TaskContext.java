package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link TaskHandler} knows about the task it runs: the request's ids and input, its run's
 * state ({@link #state()}), its checkpoint ({@link #checkpoint()}, {@link #saveCheckpoint}), and
 * whether the job was cancelled.
 *
 * <p>Cancellation ({@code DELETE /task/{jobId}}) is cooperative: {@link #isCancelled()} turns true,
 * {@link #awaitCancellation} returns, and the handler's thread is interrupted, so blocking calls
 * throw {@link InterruptedException}. A handler that stops for it should throw {@link
 * #throwIfCancelled()}'s failure or let the {@code InterruptedException} out.
 */
public final class TaskContext {

  private final TaskRequest request;
  private final String handler;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final ApiCaller calls;
  private final ChangeKeys keys;
  private final RunState state;
  private final RunApi api;

  TaskContext(TaskRequest request, String handler, ApiSettings settings) {
    this.request = Objects.requireNonNull(request, "request");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.calls = new ApiCaller(request.flow(), settings, request.jobId(), this::isCancelled);
    this.keys = new ChangeKeys(request.jobId(), request.lastCheckpoint());
    this.state = new RunState(request.workflowId(), calls, keys);
    this.api = new RunApi(state);
  }

  /**
   * A context for running a handler outside an agent server: in tests, or in process. Its API calls
   * go to {@code request.flow()} and retry transient failures for up to 2 minutes.
   */
  public static TaskContext of(TaskRequest request) {
    return of(request, ApiSettings.DEFAULT_RETRY_TIME);
  }

  /**
   * As {@link #of(TaskRequest)}, retrying transient API failures for up to {@code apiRetryTime}
   * (zero tries once).
   */
  public static TaskContext of(TaskRequest request, Duration apiRetryTime) {
    return new TaskContext(
        request,
        request.handlerName().orElse(""),
        ApiSettings.DEFAULT.withRetryTime(Objects.requireNonNull(apiRetryTime, "apiRetryTime")));
  }

  public TaskRequest request() {
    return request;
  }

  public String jobId() {
    return request.jobId();
  }

  public Optional<String> workflowId() {
    return request.workflow();
  }

  public Optional<String> stepId() {
    return request.step();
  }

  public int taskId() {
    return request.taskId();
  }

  public int attempt() {
    return request.attempt();
  }

  /** The name of the handler that runs. */
  public String handler() {
    return handler;
  }

  /** The task's input; JSON {@code null} when the request had none. */
  public JsonNode input() {
    return request.input();
  }

  /** The upstream results of a reduce step, {@code [{taskId, status, output | error}]}. */
  public Optional<JsonNode> results() {
    return request.resultList();
  }

  /** The API address, the run-scoped token and the trace context. */
  public FlowAccess flow() {
    return request.flow();
  }

  /** The run's state: read it and change it, each change counted once (see {@link RunState}). */
  public RunState state() {
    return state;
  }

  /** Increments of the run's state; the same as {@link #state()}'s, which has every operation. */
  public RunApi api() {
    return api;
  }

  /**
   * The checkpoint this attempt starts from: the last value the job saved with {@link
   * #saveCheckpoint} in an earlier attempt. Empty on a first attempt, or when none was saved.
   */
  public Optional<JsonNode> checkpoint() {
    return request.checkpoint();
  }

  /**
   * Saves how far the task got ({@code PUT {api}/jobs/{jobId}/checkpoint} with {@code {"value":
   * value}}), so that a retried attempt gets it as {@link #checkpoint()} and can go on from there.
   * Transient failures are retried as {@link RunState}'s calls are.
   *
   * <p>State changes made after this are numbered anew under this checkpoint, so that a retried
   * attempt that starts from it makes the same idempotency keys as this attempt made after it. So
   * each checkpoint of a task should be a different value (say, the number of the next step).
   *
   * @param value a {@link JsonNode} or anything Jackson writes as JSON
   */
  public void saveCheckpoint(Object value) throws InterruptedException {
    JsonNode json = ApiCaller.toJson(value, "value");
    keys.checkpointed(json);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("value", json);
    ApiCaller.await(
        calls.call(
            "PUT",
            "jobs/" + ApiCaller.segment(jobId()) + "/checkpoint",
            body,
            null,
            false,
            answer -> answer));
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * Waits until the job is cancelled or the time is up, whichever comes first: a sleep that wakes
   * up for a cancel.
   *
   * @return {@code true} if the job was cancelled
   */
  public boolean awaitCancellation(Duration timeout) throws InterruptedException {
    return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Throws a {@link TaskFailure} of type {@value TaskFailure#CANCELLED} if the job was cancelled.
   */
  public void throwIfCancelled() {
    if (isCancelled()) {
      throw TaskFailure.cancelled("job " + jobId() + " was cancelled");
    }
  }

  /**
   * Marks the task cancelled, as {@code DELETE /task/{jobId}} does (without interrupting: the agent
   * server does that). For running handlers locally.
   */
  public void cancel() {
    cancelled.countDown();
  }
}
