package io.agentainer.flow.server.job;

import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.node.NodeRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the job engine once this node is registered: first puts right what an earlier life of this
 * node left (its running jobs, its agents), then dispatches. Every heartbeat it renews this node's
 * leases, recovers jobs whose node died, and keeps the runs' state (hot counters settled, histories
 * folded into checkpoints, expired state removed about every sixty beats); on shutdown it stops
 * taking jobs and removes its agents.
 */
@Singleton
@Startup
@DependsOn("NodeRegistry")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Engine {

  private static final Logger LOG = Logger.getLogger(Engine.class.getName());

  @Inject NodeRegistry node;
  @Inject JobRecovery recovery;
  @Inject JobDispatcher dispatcher;
  @Inject JobRunner runner;
  @Inject JobLeases leases;
  @Inject FlowSettings settings;
  @Inject JobTokens tokens;
  @Inject io.agentainer.flow.server.pool.PoolManager pools;
  @Inject io.agentainer.flow.server.run.RunTimeouts timeouts;
  @Inject io.agentainer.flow.server.state.StateStore state;
  private int beats;
  @Resource TimerService timers;

  @PostConstruct
  void start() {
    String nodeId = node.nodeId();
    tokens.ensureKey();
    int jobs = recovery.recoverOwnJobs(nodeId);
    int agents = recovery.removeOrphanAgents(nodeId);
    if (jobs + agents > 0) {
      LOG.info("recovered " + jobs + " jobs and removed " + agents + " agents of an earlier run");
    }
    pools.start(nodeId);
    dispatcher.start(nodeId);
    long every = settings.nodeHeartbeat().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig("engine-upkeep", false));
  }

  @Timeout
  void upkeep() {
    try {
      leases.renew(node.nodeId());
      if (recovery.recoverExpiredLeases() > 0) {
        dispatcher.wake();
      }
      recovery.removeOrphanAgents(node.nodeId());
      timeouts.sweep();
      state.settleHotCounters();
      state.checkpointDirty();
      if (beats++ % 60 == 0) {
        state.removeExpired(20, 5000);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "engine upkeep failed; trying again at the next heartbeat", e);
    }
  }

  @PreDestroy
  void stop() {
    dispatcher.stop();
    pools.shutdown();
    runner.stopAll();
  }
}
