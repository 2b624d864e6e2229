package io.agentainer.flow.server.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtimes this server can start agents on, and which one a job gets: the one it names, else
 * ({@code auto}) Docker when an engine answers, else local processes.
 */
public class AgentRuntimes {

  public static final String AUTO = "auto";

  private final Map<String, AgentRuntime> byName = new LinkedHashMap<>();
  private final String preferred;

  public AgentRuntimes(List<AgentRuntime> runtimes, String preferred) {
    runtimes.forEach(r -> byName.put(r.name(), r));
    this.preferred = preferred == null ? AUTO : preferred;
    if (!AUTO.equals(this.preferred) && !byName.containsKey(this.preferred)) {
      throw new IllegalArgumentException(
          "FLOW_AGENT_RUNTIME: expected auto or one of " + byName.keySet() + ", got " + preferred);
    }
  }

  public Optional<AgentRuntime> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public AgentRuntime get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "agent.runtime: expected one of " + byName.keySet() + ", got '" + name + "'"));
  }

  /** The names of the runtimes, e.g. {@code [docker, process]}. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The runtime for a job that names {@code requested} (null or {@code auto}: choose). */
  public AgentRuntime choose(String requested) {
    String name = requested == null || requested.isBlank() ? preferred : requested;
    if (!AUTO.equals(name)) {
      return get(name);
    }
    AgentRuntime docker = byName.get("docker");
    if (docker != null && docker.available()) {
      return docker;
    }
    return get("process");
  }

  public List<AgentRuntime> all() {
    return List.copyOf(byName.values());
  }
}
