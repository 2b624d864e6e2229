package io.agentainer.flow.server.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends runs and steps that passed their timeout; runs at every node heartbeat, so a timeout takes
 * effect within {@code FLOW_NODE_HEARTBEAT} of its deadline (a job's own timeout is exact).
 */
@ApplicationScoped
public class RunTimeouts {

  private static final Logger LOG = Logger.getLogger(RunTimeouts.class.getName());

  @Inject RunService runs;

  public void sweep() {
    for (UUID run : runs.runsPastDeadline()) {
      try {
        runs.timeOut(run);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot time out run " + run, e);
      }
    }
    for (Map.Entry<UUID, String> step : runs.stepsPastDeadline()) {
      try {
        runs.timeOutStep(step.getKey(), step.getValue());
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "cannot time out step " + step.getValue() + " of run " + step.getKey(),
            e);
      }
    }
  }
}
