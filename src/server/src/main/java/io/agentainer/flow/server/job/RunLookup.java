package io.agentainer.flow.server.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/** Whether a run exists, until runs have their own domain package. */
@ApplicationScoped
public class RunLookup {

  @Inject EntityManager em;

  public boolean exists(UUID runId) {
    return !em.createNativeQuery("select 1 from run where id = ?1")
        .setParameter(1, runId)
        .getResultList()
        .isEmpty();
  }
}
