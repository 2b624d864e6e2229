package io.agentainer.flow.server.agent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.UUID;

/** {@link AgentRepository} over JPA. */
@ApplicationScoped
public class JpaAgentRepository implements AgentRepository {

  private final EntityManager em;

  @Inject
  public JpaAgentRepository(EntityManager em) {
    this.em = em;
  }

  /** For CDI's proxy. */
  protected JpaAgentRepository() {
    this.em = null;
  }

  @Override
  public void add(Agent agent) {
    em.persist(agent);
  }

  @Override
  public Optional<Agent> find(UUID id) {
    return Optional.ofNullable(em.find(Agent.class, id));
  }
}
