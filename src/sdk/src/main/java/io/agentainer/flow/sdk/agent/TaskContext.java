package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link TaskHandler} knows about the task it runs: the request's ids and input, how to
 * reach the run's state ({@link #api()}), and whether the job was cancelled.
 *
 * <p>Cancellation ({@code DELETE /task/{jobId}}) is cooperative: {@link #isCancelled()} turns true,
 * {@link #awaitCancellation} returns, and the handler's thread is interrupted, so blocking calls
 * throw {@link InterruptedException}. A handler that stops for it should throw {@link
 * #throwIfCancelled()}'s failure or let the {@code InterruptedException} out.
 */
public final class TaskContext {

  private final TaskRequest request;
  private final String handler;
  private final RunApi api;
  private final CountDownLatch cancelled = new CountDownLatch(1);

  TaskContext(TaskRequest request, String handler, RunApi api) {
    this.request = Objects.requireNonNull(request, "request");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.api = Objects.requireNonNull(api, "api");
  }

  /**
   * A context for running a handler outside an agent server: in tests, or in process. Its API calls
   * go to {@code request.flow()}.
   */
  public static TaskContext of(TaskRequest request) {
    return new TaskContext(
        request,
        request.handlerName().orElse(""),
        new RunApi(
            request.workflowId(), request.flow(), RunApi.DEFAULT_CLIENT, RunApi.DEFAULT_TIMEOUT));
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

  /** Calls to the run's state, as the run-scoped token allows. */
  public RunApi api() {
    return api;
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
