package io.agentainer.flow.sdk.agent;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The environment variables an agent reads. {@code FLOW_AGENT_PORT}, {@code FLOW_AGENT_HOST} and
 * {@code FLOW_HANDLER} configure the server; the others are given to cold agents and fill in what a
 * request leaves out (a pooled agent serves many jobs, so it reads them from each request).
 */
public final class AgentEnvironment {

  /** The port to listen on; {@code 0} picks a free one. Default {@value #DEFAULT_PORT}. */
  public static final String PORT = "FLOW_AGENT_PORT";

  /** The address to bind; default {@value #DEFAULT_HOST} (host networking: loopback only). */
  public static final String HOST = "FLOW_AGENT_HOST";

  /** The handler to run when a request names none. */
  public static final String HANDLER = "FLOW_HANDLER";

  public static final String WORKFLOW_ID = "FLOW_WORKFLOW_ID";
  public static final String STEP_ID = "FLOW_STEP_ID";
  public static final String TASK_ID = "FLOW_TASK_ID";
  public static final String JOB_ID = "FLOW_JOB_ID";
  public static final String API = "FLOW_API";
  public static final String TOKEN = "FLOW_TOKEN";
  public static final String TRACEPARENT = "TRACEPARENT";

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_HOST = "127.0.0.1";

  private final Map<String, String> env;

  private AgentEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  public static AgentEnvironment of(Map<String, String> env) {
    return new AgentEnvironment(env);
  }

  public static AgentEnvironment system() {
    return new AgentEnvironment(System.getenv());
  }

  /** A variable's value, if set and not blank. */
  public Optional<String> get(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /**
   * {@code FLOW_AGENT_PORT}, or {@value #DEFAULT_PORT} when unset.
   *
   * @throws IllegalArgumentException when it is not a port number, naming the variable
   */
  public int port() {
    String value = get(PORT).orElse(null);
    if (value == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        PORT + ": must be a port number 0-65535, got '" + value + "'");
  }

  public String host() {
    return get(HOST).orElse(DEFAULT_HOST);
  }

  public Optional<String> handler() {
    return get(HANDLER);
  }

  FlowAccess flow() {
    return new FlowAccess(
        get(API).orElse(null), get(TOKEN).orElse(null), get(TRACEPARENT).orElse(null));
  }

  /** The request, with what it leaves out taken from this environment. */
  TaskRequest complete(TaskRequest request) {
    return new TaskRequest(
        request.jobId(),
        request.workflowId() != null ? request.workflowId() : get(WORKFLOW_ID).orElse(null),
        request.stepId() != null ? request.stepId() : get(STEP_ID).orElse(null),
        request.taskId(),
        request.attempt(),
        request.handler(),
        request.input(),
        request.results(),
        request.flow().orElse(flow()),
        request.lastCheckpoint());
  }
}
