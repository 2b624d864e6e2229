package io.agentainer.flow.server.pool;

import io.agentainer.flow.server.agent.Agent;
import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The records of pools and of their agents, each call in its own transaction unless joined. */
@ApplicationScoped
public class PoolRegistry {

  @Inject EntityManager em;
  @Inject Clock clock;

  /**
   * The pool for {@code key}, created with {@code policy} when there is none; an existing pool
   * keeps its settings unless {@code update}. Commits on its own, before the caller's transaction:
   * the pool's agents are recorded (with the pool's id) while that one is still open.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Pool declare(PoolKey key, PoolPolicy policy, boolean update) {
    Optional<Pool> existing = byName(key.name());
    if (existing.isPresent()) {
      if (update && !existing.get().policy().equals(policy)) {
        Pool pool = em.find(Pool.class, existing.get().id(), LockModeType.PESSIMISTIC_WRITE);
        pool.apply(policy);
        return pool;
      }
      return existing.get();
    }
    Pool created = Pool.create(key, policy, clock.instant());
    // two runs may create the same pool at once: the second one finds the first one's row
    int inserted =
        em.createNativeQuery(
                "insert into pool (id, name, runtime, image, config, config_hash, definition_name,"
                    + " shared, min_size, max_size, idle_timeout_ms, max_uses, warm_up, status,"
                    + " created_at, lease_timeout_ms, warm_schedule, warm_size)"
                    + " values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6, cast(?7 as text), ?8, ?9,"
                    + " ?10, ?11, cast(?12 as integer), ?13, ?14, ?15, ?16, cast(?17 as text),"
                    + " cast(?18 as integer)) on conflict (name) do nothing")
            .setParameter(1, created.id())
            .setParameter(2, key.name())
            .setParameter(3, key.runtime())
            .setParameter(4, key.image())
            .setParameter(5, key.configJson())
            .setParameter(6, key.hash())
            .setParameter(7, key.definitionName())
            .setParameter(8, key.shared())
            .setParameter(9, policy.minSize())
            .setParameter(10, policy.maxSize())
            .setParameter(11, policy.idleTimeout().toMillis())
            .setParameter(12, policy.maxUses())
            .setParameter(13, policy.warmUp())
            .setParameter(14, Pool.ACTIVE)
            .setParameter(
                15,
                java.time.OffsetDateTime.ofInstant(created.createdAt(), java.time.ZoneOffset.UTC))
            .setParameter(16, policy.leaseTimeout().toMillis())
            .setParameter(17, policy.warmSchedule())
            .setParameter(18, policy.warmSize())
            .executeUpdate();
    if (inserted == 0 && update) {
      Pool pool = byName(key.name()).orElseThrow();
      em.find(Pool.class, pool.id(), LockModeType.PESSIMISTIC_WRITE).apply(policy);
    }
    return byName(key.name()).orElseThrow();
  }

  @Transactional
  public Optional<Pool> find(UUID id) {
    return Optional.ofNullable(em.find(Pool.class, id));
  }

  /** By id, or else by name. */
  @Transactional
  public Optional<Pool> find(String idOrName) {
    try {
      Optional<Pool> byId = find(UUID.fromString(idOrName));
      if (byId.isPresent()) {
        return byId;
      }
    } catch (IllegalArgumentException notAnId) {
      // a name
    }
    return byName(idOrName);
  }

  private Optional<Pool> byName(String name) {
    return em.createQuery("select p from Pool p where p.name = :name", Pool.class)
        .setParameter("name", name)
        .getResultStream()
        .findFirst();
  }

  @Transactional
  public List<Pool> list(int offset, int limit) {
    return em.createQuery("select p from Pool p order by p.name", Pool.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList();
  }

  @Transactional
  public long count() {
    return em.createQuery("select count(p) from Pool p", Long.class).getSingleResult();
  }

  /** Every pool (for a node's periodic look at settings and schedules). */
  @Transactional
  public List<Pool> all() {
    return em.createQuery("select p from Pool p", Pool.class).getResultList();
  }

  /** Applies new settings to the pool. */
  @Transactional
  public Pool update(UUID id, PoolPolicy policy) {
    Pool pool = em.find(Pool.class, id, LockModeType.PESSIMISTIC_WRITE);
    pool.apply(policy);
    return pool;
  }

  /** The pool's stopped agents by reason, across nodes. */
  @Transactional
  public Map<String, Long> terminations(UUID poolId) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Object[] row :
        em.createQuery(
                "select a.stopReason, count(a) from Agent a where a.poolId = :pool"
                    + " and a.stopReason is not null group by a.stopReason order by a.stopReason",
                Object[].class)
            .setParameter("pool", poolId)
            .getResultList()) {
      counts.put((String) row[0], ((Number) row[1]).longValue());
    }
    return counts;
  }

  // ---- agents --------------------------------------------------------------------------------

  @Transactional
  public void agentStarted(AgentHandle handle, String image, String nodeId, UUID poolId) {
    em.persist(Agent.pooled(handle, image, nodeId, poolId, clock));
  }

  @Transactional
  public void agentReady(UUID agentId) {
    Agent agent = em.find(Agent.class, agentId, LockModeType.PESSIMISTIC_WRITE);
    if (agent != null && agent.status() == AgentStatus.STARTING) {
      agent.ready(clock);
    }
  }

  @Transactional
  public void agentStopped(UUID agentId, String reason, int uses, Integer exitCode) {
    Agent agent = em.find(Agent.class, agentId, LockModeType.PESSIMISTIC_WRITE);
    if (agent != null
        && agent.status() != AgentStatus.STOPPED
        && agent.status() != AgentStatus.FAILED) {
      agent.retired(reason, uses, exitCode, clock);
    }
  }

  /**
   * After this node started: pooled agents its earlier life recorded as alive are gone (their
   * containers and processes are removed as orphans).
   *
   * @return how many records were closed
   */
  @Transactional
  public int closeLeftovers(String nodeId) {
    List<Agent> alive =
        em.createQuery(
                "select a from Agent a where a.nodeId = :node and a.poolId is not null"
                    + " and a.status not in ('STOPPED', 'FAILED')",
                Agent.class)
            .setParameter("node", nodeId)
            .getResultList();
    alive.forEach(a -> a.retired("node_restart", a.uses(), null, clock));
    return alive.size();
  }
}
