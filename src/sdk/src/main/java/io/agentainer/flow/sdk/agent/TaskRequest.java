package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@code POST /task}: {@code {jobId, workflowId, stepId, taskId, attempt, handler?,
 * input, results?, checkpoint?, flow: {api, token, traceparent}}}.
 *
 * <p>Only {@code jobId} is required; a job started by hand has no run or step. Missing fields take
 * their defaults: {@code taskId} 0, {@code attempt} 1, {@code input} JSON {@code null}.
 *
 * @param jobId the job, never blank; {@code DELETE /task/{jobId}} cancels it
 * @param workflowId the run the job belongs to, or {@code null}
 * @param stepId the step, or {@code null}; a child job's shows its parent ({@code parent/child})
 * @param taskId the index of the task in its step (0 for a single task)
 * @param attempt 1 for the first try, 2 for the first retry, ...
 * @param handler the handler to run, or {@code null} to derive it (see {@link AgentServer})
 * @param input the task's input, JSON {@code null} when absent (never Java {@code null})
 * @param results for reduce steps: the upstream results in taskId order, or {@code null}
 * @param flow how to reach the API, never {@code null}
 * @param lastCheckpoint on a retried attempt, the last checkpoint the job saved ({@link
 *     TaskContext#saveCheckpoint}); {@code null} when there is none
 */
public record TaskRequest(
    String jobId,
    String workflowId,
    String stepId,
    int taskId,
    int attempt,
    String handler,
    JsonNode input,
    JsonNode results,
    FlowAccess flow,
    JsonNode lastCheckpoint) {

  public TaskRequest {
    Objects.requireNonNull(jobId, "jobId");
    input = input == null ? NullNode.getInstance() : input;
    flow = flow == null ? FlowAccess.NONE : flow;
    lastCheckpoint = lastCheckpoint == null || lastCheckpoint.isNull() ? null : lastCheckpoint;
  }

  /** A request without a checkpoint. */
  public TaskRequest(
      String jobId,
      String workflowId,
      String stepId,
      int taskId,
      int attempt,
      String handler,
      JsonNode input,
      JsonNode results,
      FlowAccess flow) {
    this(jobId, workflowId, stepId, taskId, attempt, handler, input, results, flow, null);
  }

  public static Builder builder(String jobId) {
    return new Builder(jobId);
  }

  public Optional<String> workflow() {
    return Optional.ofNullable(workflowId);
  }

  public Optional<String> step() {
    return Optional.ofNullable(stepId);
  }

  public Optional<String> handlerName() {
    return Optional.ofNullable(handler);
  }

  /** The results of a reduce step, when given. */
  public Optional<JsonNode> resultList() {
    return Optional.ofNullable(results);
  }

  /** The last checkpoint the job saved, when this is a retried attempt of a job that saved one. */
  public Optional<JsonNode> checkpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }

  /**
   * Reads a request body.
   *
   * @throws MalformedRequestException naming the first field that is missing or of the wrong type
   */
  static TaskRequest parse(JsonNode body) throws MalformedRequestException {
    if (body == null || !body.isObject()) {
      throw new MalformedRequestException("body", "must be a JSON object");
    }
    String jobId = text(body, "jobId");
    if (jobId == null || jobId.isBlank()) {
      throw new MalformedRequestException("jobId", "required");
    }
    String handler = text(body, "handler");
    if (handler != null && handler.isBlank()) {
      throw new MalformedRequestException("handler", "must not be blank");
    }
    JsonNode results = body.get("results");
    if (results != null && results.isNull()) {
      results = null;
    }
    if (results != null && !results.isArray()) {
      throw new MalformedRequestException("results", "must be an array");
    }
    return new TaskRequest(
        jobId,
        text(body, "workflowId"),
        text(body, "stepId"),
        integer(body, "taskId", 0, 0),
        integer(body, "attempt", 1, 1),
        handler,
        body.get("input"),
        results,
        flow(body.get("flow")),
        body.get("checkpoint"));
  }

  private static FlowAccess flow(JsonNode flow) throws MalformedRequestException {
    if (flow == null || flow.isNull()) {
      return FlowAccess.NONE;
    }
    if (!flow.isObject()) {
      throw new MalformedRequestException("flow", "must be an object");
    }
    for (Iterator<String> names = flow.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!flow.get(name).isTextual() && !flow.get(name).isNull()) {
        throw new MalformedRequestException("flow." + name, "must be a string");
      }
    }
    return new FlowAccess(
        flow.path("api").textValue(),
        flow.path("token").textValue(),
        flow.path("traceparent").textValue());
  }

  private static String text(JsonNode body, String field) throws MalformedRequestException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new MalformedRequestException(field, "must be a string");
    }
    return value.textValue();
  }

  private static int integer(JsonNode body, String field, int fallback, int min)
      throws MalformedRequestException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min) {
      throw new MalformedRequestException(field, "must be a whole number >= " + min);
    }
    return value.intValue();
  }

  /** Builds a request in code: for tests and for running handlers locally. */
  public static final class Builder {
    private final String jobId;
    private String workflowId;
    private String stepId;
    private int taskId;
    private int attempt = 1;
    private String handler;
    private JsonNode input;
    private JsonNode results;
    private FlowAccess flow = FlowAccess.NONE;
    private JsonNode checkpoint;

    private Builder(String jobId) {
      this.jobId = jobId;
    }

    public Builder workflowId(String workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    public Builder stepId(String stepId) {
      this.stepId = stepId;
      return this;
    }

    public Builder taskId(int taskId) {
      this.taskId = taskId;
      return this;
    }

    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    public Builder handler(String handler) {
      this.handler = handler;
      return this;
    }

    public Builder input(JsonNode input) {
      this.input = input;
      return this;
    }

    public Builder results(JsonNode results) {
      this.results = results;
      return this;
    }

    public Builder flow(FlowAccess flow) {
      this.flow = flow;
      return this;
    }

    /** The last checkpoint the job saved, as a retried attempt gets it. */
    public Builder checkpoint(JsonNode checkpoint) {
      this.checkpoint = checkpoint;
      return this;
    }

    public TaskRequest build() {
      return new TaskRequest(
          jobId, workflowId, stepId, taskId, attempt, handler, input, results, flow, checkpoint);
    }
  }
}
