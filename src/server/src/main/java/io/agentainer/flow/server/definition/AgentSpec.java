package io.agentainer.flow.server.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent a step's jobs run on: an image (mapped to a command by the process runtime), the
 * handler it dispatches to, and optional runtime ({@code docker} or {@code process}; null lets the
 * server choose), environment and limits.
 *
 * @param env never null (empty when none), in the order written
 */
public record AgentSpec(
    String image,
    String handler,
    String runtime,
    Map<String, String> env,
    Double cpus,
    Integer memoryMb) {

  public AgentSpec {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }
}
