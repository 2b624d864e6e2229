package io.agentainer.flow.server.pool;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A pool as the API shows it: its record, and its figures on this node ({@code src/sdk/POOLS.md}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolView(
    UUID id,
    String name,
    String runtime,
    String image,
    String definition,
    boolean shared,
    JsonNode config,
    int minSize,
    int maxSize,
    String idleTimeout,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer maxUses,
    boolean warmUp,
    String leaseTimeout,
    @JsonInclude(JsonInclude.Include.ALWAYS) String warmSchedule,
    int warmSize,
    @JsonInclude(JsonInclude.Include.ALWAYS) Instant nextWarmAt,
    String status,
    Instant createdAt,
    int size,
    int starting,
    int idle,
    int busy,
    int waiting,
    double utilization,
    double busySeconds,
    double agentSeconds,
    long leases,
    long reused,
    long coldStarts,
    long coldStartsAvoided,
    long exhaustions,
    long leaseTimeouts,
    double leaseWaitP50Ms,
    double leaseWaitP99Ms,
    Map<String, Long> terminations,
    List<AgentView> agents) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One agent of the pool on this node. */
  public record AgentView(UUID id, String status, int uses, String endpoint, long idleMs) {}

  static PoolView of(
      Pool pool,
      AgentPool.Stats stats,
      Map<String, Long> terminations,
      Instant nextWarmAt,
      boolean withAgents) {
    PoolPolicy p = pool.policy();
    return new PoolView(
        pool.id(),
        pool.name(),
        pool.runtime(),
        pool.image(),
        pool.definitionName(),
        pool.shared(),
        tree(pool.config()),
        p.minSize(),
        p.maxSize(),
        p.idleTimeout().toString(),
        p.maxUses(),
        p.warmUp(),
        p.leaseTimeout().toString(),
        p.warmSchedule(),
        p.warmTarget(),
        nextWarmAt,
        pool.status(),
        pool.createdAt(),
        stats.size(),
        stats.starting(),
        stats.idle(),
        stats.busy(),
        stats.waiting(),
        stats.utilization(),
        stats.busySeconds(),
        stats.agentSeconds(),
        stats.leases(),
        stats.reused(),
        stats.coldStarts(),
        stats.leases() - stats.coldStarts(),
        stats.exhaustions(),
        stats.timeouts(),
        stats.leaseWaitP50Ms(),
        stats.leaseWaitP99Ms(),
        terminations,
        withAgents
            ? stats.agents().stream()
                .map(a -> new AgentView(a.id(), a.state(), a.uses(), a.endpoint(), a.idleMillis()))
                .toList()
            : null);
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("a pool's stored configuration is unreadable", e);
    }
  }
}
