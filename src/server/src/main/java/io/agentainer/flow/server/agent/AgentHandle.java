package io.agentainer.flow.server.agent;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A started agent: its id, the runtime that holds it, the runtime's reference (container id or
 * process id), the address of its task protocol, its host port and labels.
 */
public record AgentHandle(
    UUID agentId, String runtime, String ref, URI endpoint, int port, Map<String, String> labels) {

  public AgentHandle {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(ref, "ref");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public String label(String name) {
    return labels.get(name);
  }
}
