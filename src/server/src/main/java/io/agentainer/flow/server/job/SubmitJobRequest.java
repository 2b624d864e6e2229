package io.agentainer.flow.server.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code POST /api/jobs}: {@code {agent: {image, handler, runtime, env, cpus, memoryMb}, input,
 * executionMode, timeout, stepId}}. {@code stepId} names a child job inside its parent's step.
 */
public record SubmitJobRequest(
    AgentRequest agent, JsonNode input, String executionMode, String timeout, String stepId) {

  /** The agent that runs the job. */
  public record AgentRequest(
      String image,
      String handler,
      String runtime,
      Map<String, String> env,
      Double cpus,
      Integer memoryMb) {}
}
