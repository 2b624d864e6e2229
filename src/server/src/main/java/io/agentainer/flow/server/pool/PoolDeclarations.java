package io.agentainer.flow.server.pool;

import io.agentainer.flow.server.agent.AgentRuntimes;
import io.agentainer.flow.server.definition.DefinitionService;
import io.agentainer.flow.server.definition.StepSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A registered definition version sets the sizes and policies of its pooled steps' pools: the
 * latest version registered (or the last {@code PUT /api/pools/{id}}) wins.
 */
@ApplicationScoped
public class PoolDeclarations {

  private static final Logger LOG = Logger.getLogger(PoolDeclarations.class.getName());

  @Inject PoolManager pools;
  @Inject AgentRuntimes runtimes;

  void registered(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) DefinitionService.Registered event) {
    for (StepSpec step : event.spec().steps()) {
      if (!step.pooled() || step.agent() == null) {
        continue;
      }
      try {
        String runtime = runtimes.choose(step.agent().runtime()).name();
        pools.declare(
            PoolKey.forStep(runtime, step.agent(), event.spec().name(), step.poolSpec().isShared()),
            step.poolSpec(),
            true);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "cannot set the pool of step " + step.name() + " of " + event.spec().name(),
            e);
      }
    }
  }
}
