package io.agentainer.flow.server.agent;

import java.util.Optional;
import java.util.UUID;

/** Where agent records are kept. The caller owns the transaction. */
public interface AgentRepository {

  void add(Agent agent);

  Optional<Agent> find(UUID id);
}
