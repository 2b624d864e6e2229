package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The task side of an {@link AgentServer}: reads a {@code POST /task} body, chooses the handler,
 * runs it on the calling thread while tracking it for cancels, and turns what it returned or threw
 * into a {@link Reply}. Also answers {@code DELETE /task/{jobId}}.
 */
final class TaskDispatcher {

  private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());

  private final Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();
  private final Set<RunningTask> running = ConcurrentHashMap.newKeySet();
  private final AgentEnvironment environment;
  private final String defaultHandler;
  private final int maxConcurrentTasks;
  private final Semaphore permits;
  private final boolean stackTraces;
  private final ApiSettings api;

  TaskDispatcher(
      AgentEnvironment environment,
      String defaultHandler,
      int maxConcurrentTasks,
      boolean stackTraces,
      ApiSettings api) {
    this.environment = environment;
    this.defaultHandler = defaultHandler;
    this.maxConcurrentTasks = maxConcurrentTasks;
    this.permits = new Semaphore(maxConcurrentTasks);
    this.stackTraces = stackTraces;
    this.api = api;
  }

  void register(String name, TaskHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("handler name: must not be blank");
    }
    if (handlers.putIfAbsent(name, handler) != null) {
      throw new IllegalArgumentException("handler '" + name + "' is registered already");
    }
  }

  Set<String> handlerNames() {
    return new TreeSet<>(handlers.keySet());
  }

  Optional<String> defaultHandler() {
    return Optional.ofNullable(defaultHandler);
  }

  int runningTasks() {
    return running.size();
  }

  void cancelAll() {
    running.forEach(RunningTask::cancel);
  }

  /**
   * Runs the task a {@code POST /task} body describes, on this thread.
   *
   * @param accepting false while the agent shuts down: well-formed tasks are refused (503)
   */
  Reply dispatch(byte[] body, boolean accepting) {
    TaskRequest request;
    try {
      if (body.length == 0) {
        throw new MalformedRequestException("body", "required (a JSON object)");
      }
      request = environment.complete(TaskRequest.parse(readJson(body)));
    } catch (MalformedRequestException e) {
      return error(400, TaskError.of("bad_request", e.getMessage(), false));
    }
    if (!accepting) {
      return error(503, TaskError.of("shutting_down", "the agent is shutting down", true));
    }
    Optional<String> name = handlerFor(request);
    if (name.isEmpty()) {
      return error(
          400,
          TaskError.of(
              "bad_request",
              "handler: not given, and no FLOW_HANDLER or stepId to choose one by",
              false));
    }
    TaskHandler handler = handlers.get(name.get());
    if (handler == null) {
      return error(
          404, TaskError.of("unknown_handler", unknownHandler(request, name.get()), false));
    }
    if (!permits.tryAcquire()) {
      return error(
          503,
          TaskError.of("busy", "the agent runs " + maxConcurrentTasks + " tasks already", true));
    }
    try {
      return run(request, name.get(), handler);
    } finally {
      permits.release();
    }
  }

  /** {@code DELETE /task/{jobId}}: flags and interrupts that job's running tasks. */
  Reply cancel(String jobId) {
    if (jobId.isEmpty()) {
      return error(400, TaskError.of("bad_request", "jobId: required in /task/{jobId}", false));
    }
    List<RunningTask> matches = running.stream().filter(t -> t.jobId().equals(jobId)).toList();
    if (matches.isEmpty()) {
      return error(
          404, TaskError.of("unknown_job", "jobId: '" + jobId + "' is not running here", false));
    }
    matches.forEach(RunningTask::cancel);
    ObjectNode body = Json.MAPPER.createObjectNode().put("jobId", jobId);
    body.put("cancelled", matches.size());
    return Reply.json(202, body);
  }

  private static JsonNode readJson(byte[] raw) throws MalformedRequestException {
    try {
      return Json.MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new MalformedRequestException(
          "body", "not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new MalformedRequestException("body", "unreadable (" + e.getMessage() + ")");
    }
  }

  /** The request's handler, else the default, else the last segment of the step id. */
  Optional<String> handlerFor(TaskRequest request) {
    if (request.handler() != null) {
      return Optional.of(request.handler());
    }
    if (defaultHandler != null) {
      return Optional.of(defaultHandler);
    }
    String step = request.stepId();
    if (step == null || step.isBlank()) {
      return Optional.empty();
    }
    String last = step.substring(step.lastIndexOf('/') + 1);
    return last.isBlank() ? Optional.empty() : Optional.of(last);
  }

  private String unknownHandler(TaskRequest request, String name) {
    String from =
        request.handler() != null
            ? "from the request"
            : defaultHandler != null
                ? "from FLOW_HANDLER"
                : "from stepId '" + request.stepId() + "'";
    return "handler: no handler '"
        + name
        + "' ("
        + from
        + "); this agent has "
        + String.join(", ", handlerNames());
  }

  private Reply run(TaskRequest request, String name, TaskHandler handler) {
    TaskContext context = new TaskContext(request, name, api);
    RunningTask task = new RunningTask(context, Thread.currentThread());
    running.add(task);
    Reply reply;
    try {
      reply = output(handler.handle(context));
    } catch (TaskFailure failure) {
      reply = error(422, TaskError.of(failure));
    } catch (InterruptedException e) {
      reply = error(500, TaskError.of("interrupted", "the task was interrupted", true));
    } catch (Exception | StackOverflowError | LinkageError e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "agent: handler '" + name + "' failed unexpectedly on job " + request.jobId(),
          e);
      reply = error(500, TaskError.unexpected(e));
    } finally {
      task.finish();
      running.remove(task);
    }
    if (context.isCancelled() && reply.status() != 200) {
      return error(
          409,
          TaskError.of(TaskFailure.CANCELLED, "job " + request.jobId() + " was cancelled", false));
    }
    return reply;
  }

  private Reply output(Object output) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    try {
      body.set("output", Json.MAPPER.valueToTree(output));
      return Reply.json(200, Json.MAPPER.writeValueAsBytes(body));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      return error(
          500,
          TaskError.of(
              "bad_output", "output: cannot be written as JSON (" + e.getMessage() + ")", false));
    }
  }

  private Reply error(int status, TaskError error) {
    return Reply.error(
        status,
        stackTraces || error.stack() == null
            ? error
            : new TaskError(error.type(), error.message(), error.retryable(), null));
  }
}
