package io.agentainer.flow.server.agent;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What to start: an image, the environment and labels of the agent, and its limits ({@code cpus}
 * and {@code memoryMb} may be null: no limit).
 */
public record AgentLaunch(
    UUID agentId,
    String image,
    Map<String, String> env,
    Map<String, String> labels,
    Double cpus,
    Integer memoryMb) {

  public AgentLaunch {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(image, "image");
    env = env == null ? Map.of() : Map.copyOf(env);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
