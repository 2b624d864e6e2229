package io.agentainer.flow.server.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.server.agent.AgentClient;
import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentLabels;
import io.agentainer.flow.server.agent.AgentLaunch;
import io.agentainer.flow.server.agent.AgentRuntime;
import io.agentainer.flow.server.agent.AgentRuntimes;
import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.definition.PoolSpec;
import io.agentainer.flow.server.job.JobTokens;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's agent pools: lends their agents to pooled jobs, warms them (when a run starts, on
 * schedule, on demand), drains them, applies their time-based policies every half second, picks up
 * changed settings and schedules every few seconds, and shuts them down with the node.
 */
@ApplicationScoped
public class PoolManager {

  private static final Logger LOG = Logger.getLogger(PoolManager.class.getName());
  private static final long UPKEEP_MILLIS = 500;
  private static final int RELOAD_EVERY = 10;

  @Inject PoolRegistry registry;
  @Inject AgentRuntimes runtimes;
  @Inject AgentClient client;
  @Inject FlowSettings settings;
  @Inject JobTokens tokens;
  @Inject Clock clock;

  @Resource ManagedThreadFactory threads;

  @Resource(lookup = "java:jboss/ee/concurrency/scheduler/flow-timer")
  ManagedScheduledExecutorService timer;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<UUID, AgentPool> pools = new ConcurrentHashMap<>();
  private final Map<UUID, Instant> nextWarm = new ConcurrentHashMap<>();
  private volatile ExecutorService work;
  private volatile ScheduledFuture<?> upkeep;
  private volatile String nodeId;
  private volatile java.util.concurrent.Semaphore starts;
  private int ticks;

  /** Starts the pools' upkeep for {@code nodeId}, after closing what an earlier life left. */
  public void start(String nodeId) {
    this.nodeId = nodeId;
    this.work = Executors.newCachedThreadPool(threads);
    this.starts = new java.util.concurrent.Semaphore(settings.poolStartConcurrency(), true);
    int closed = registry.closeLeftovers(nodeId);
    if (closed > 0) {
      LOG.info("closed the records of " + closed + " pooled agents of this node's earlier run");
    }
    upkeep =
        timer.scheduleWithFixedDelay(
            this::upkeep, UPKEEP_MILLIS, UPKEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The server's pool defaults. */
  public PoolPolicy.Defaults defaults() {
    return new PoolPolicy.Defaults(
        settings.poolMaxSize(), settings.poolIdleTimeout(), settings.poolLeaseTimeout());
  }

  /** The pool a pooled step (or standalone job) uses; created when missing. */
  public Pool declare(PoolKey key, PoolSpec spec, boolean update) {
    Pool pool = registry.declare(key, PoolPolicy.of(spec, defaults()), update);
    AgentPool live = pools.get(pool.id());
    if (live != null && update) {
      live.configure(settingsOf(pool));
    }
    return pool;
  }

  /** Lends an agent of the pool to one task of {@code run}. */
  public AgentPool.Lease lease(UUID poolId, Object run) throws InterruptedException {
    return pool(poolId).lease(run);
  }

  /** Takes a leased agent back. */
  public void giveBack(UUID poolId, AgentPool.Lease lease, AgentPool.Return how) {
    pool(poolId).giveBack(lease.member(), how);
  }

  /** Starts agents until the pool holds {@code target}; how many started. */
  public int warm(UUID poolId, int target) {
    return pool(poolId).warm(target);
  }

  public AgentPool.Drained drain(UUID poolId) {
    return pool(poolId).drain();
  }

  /** Applies the pool's new settings on this node. */
  public void configure(Pool pool) {
    AgentPool live = pools.get(pool.id());
    if (live != null) {
      live.configure(settingsOf(pool));
    }
    nextWarm.remove(pool.id());
  }

  /** The pool's figures on this node (an empty pool when it has not been used here). */
  public AgentPool.Stats stats(UUID poolId) {
    AgentPool live = pools.get(poolId);
    if (live != null) {
      return live.stats();
    }
    return new AgentPool.Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), List.of());
  }

  /** When the pool warms next on its schedule, if it has one. */
  public Optional<Instant> nextWarm(Pool pool) {
    String schedule = pool.policy().warmSchedule();
    if (schedule == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        nextWarm.computeIfAbsent(
            pool.id(), id -> PoolSpec.nextCronTime(schedule, clock.instant()).orElse(null)));
  }

  /** Whether {@code agentId} is an agent of one of this node's pools. */
  public boolean owns(UUID agentId) {
    return pools.values().stream().anyMatch(p -> p.owns(agentId));
  }

  private AgentPool pool(UUID poolId) {
    AgentPool live = pools.get(poolId);
    if (live != null) {
      return live;
    }
    Pool record =
        registry.find(poolId).orElseThrow(() -> new IllegalArgumentException("no pool " + poolId));
    return pools.computeIfAbsent(
        poolId, id -> new AgentPool(id, record.name(), settingsOf(record), agentsOf(record), work));
  }

  private AgentPool.Settings settingsOf(Pool pool) {
    PoolPolicy p = pool.policy();
    return new AgentPool.Settings(
        p.minSize(),
        p.maxSize(),
        p.idleTimeout(),
        p.maxUses(),
        p.leaseTimeout(),
        pool.shared(),
        settings.poolDrainGrace());
  }

  private AgentPool.Agents agentsOf(Pool pool) {
    AgentRuntime runtime = runtimes.get(pool.runtime());
    UUID poolId = pool.id();
    String image = pool.image();
    JsonNode config = parse(pool.config());
    return new AgentPool.Agents() {
      // Agents start a few at a time (FLOW_POOL_START_CONCURRENCY): twenty JVMs booting at once
      // on two cores all miss their ready timeout, a few at a time all make it. A start holds its
      // permit until its agent is ready or given up.
      @Override
      public AgentHandle start(UUID agentId) {
        starts.acquireUninterruptibly();
        try {
          AgentHandle handle = runtime.start(launch(poolId, image, config, agentId));
          try {
            registry.agentStarted(handle, image, nodeId, poolId);
          } catch (RuntimeException e) {
            runtime.stop(handle);
            throw e;
          }
          return handle;
        } catch (RuntimeException e) {
          starts.release();
          throw e;
        }
      }

      @Override
      public boolean awaitReady(AgentHandle agent) throws InterruptedException {
        try {
          return client.awaitReady(
              agent.endpoint(), settings.agentReadyTimeout(), () -> runtime.isRunning(agent));
        } finally {
          starts.release();
        }
      }

      @Override
      public boolean healthy(AgentHandle agent) {
        return client.healthy(agent.endpoint(), Duration.ofSeconds(1));
      }

      @Override
      public void stop(AgentHandle agent, String reason, int uses) {
        Integer exit = null;
        try {
          OptionalInt code = runtime.exitCode(agent);
          exit = code.isPresent() ? code.getAsInt() : null;
          runtime.stop(agent);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "cannot remove pooled agent " + agent.agentId(), e);
        }
        try {
          registry.agentStopped(agent.agentId(), reason, uses, exit);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "cannot record the end of pooled agent " + agent.agentId(), e);
        }
      }

      @Override
      public void ready(AgentHandle agent) {
        registry.agentReady(agent.agentId());
      }
    };
  }

  private AgentLaunch launch(UUID poolId, String image, JsonNode config, UUID agentId) {
    Map<String, String> labels = new HashMap<>();
    labels.put(AgentLabels.POOL, poolId.toString());
    labels.put(AgentLabels.NODE, nodeId);
    labels.put(AgentLabels.AGENT, agentId.toString());
    Map<String, String> env = new HashMap<>();
    config.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    env.put("FLOW_API", tokens.apiUrl());
    env.put("FLOW_POOL_ID", poolId.toString());
    Double cpus = config.hasNonNull("cpus") ? config.get("cpus").asDouble() : null;
    Integer memoryMb = config.hasNonNull("memoryMb") ? config.get("memoryMb").asInt() : null;
    return new AgentLaunch(agentId, image, env, labels, cpus, memoryMb);
  }

  private JsonNode parse(String text) {
    try {
      return text == null ? json.createObjectNode() : json.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("a pool's stored configuration is unreadable", e);
    }
  }

  // ---- upkeep --------------------------------------------------------------------------------

  private void upkeep() {
    try {
      pools.values().forEach(AgentPool::upkeep);
      if (ticks++ % RELOAD_EVERY == 0) {
        reload();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pool upkeep failed; trying again", e);
    }
  }

  /** Settings changed elsewhere (another node, a new definition version), and warm schedules. */
  private void reload() {
    Instant now = clock.instant();
    for (Pool pool : registry.all()) {
      AgentPool live = pools.get(pool.id());
      if (live != null && !live.settings().equals(settingsOf(pool))) {
        live.configure(settingsOf(pool));
      }
      Optional<Instant> due = nextWarm(pool);
      if (due.isPresent() && !due.get().isAfter(now)) {
        int started = pool(pool.id()).warm(pool.policy().warmTarget());
        LOG.info(() -> "pool " + pool.name() + " warms on schedule: " + started + " agents start");
        nextWarm.put(
            pool.id(),
            PoolSpec.nextCronTime(pool.policy().warmSchedule(), now).orElse(Instant.MAX));
      }
    }
  }

  /**
   * The node stops: no new leases, running tasks get {@code FLOW_POOL_DRAIN_GRACE} to end, then
   * every pooled agent stops.
   */
  public void shutdown() {
    ScheduledFuture<?> task = upkeep;
    if (task != null) {
      task.cancel(false);
    }
    Duration grace = settings.poolDrainGrace();
    List<Thread> stopping = new ArrayList<>();
    for (AgentPool pool : pools.values()) {
      Thread t =
          threads.newThread(
              () -> {
                try {
                  pool.shutdown(grace);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join(grace.toMillis() + 30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ExecutorService pool = work;
    if (pool != null) {
      pool.shutdown();
    }
  }
}
