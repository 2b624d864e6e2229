package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool of warm agents of one image and configuration, as {@code GET /api/pools/{id}} shows it, or
 * a row of {@code GET /api/pools} (rows leave out {@code agents}: an empty list there). Values the
 * server leaves out are {@code null} (or 0, for counters); see the SDK's {@code POOLS.md}.
 *
 * @param name {@code <definition>-<image name>-<hash>}, {@code shared-...} or {@code adhoc-...}
 * @param definition the definition whose steps use the pool; {@code null} for a shared or ad-hoc
 *     pool
 * @param config what the pool's agents run with besides their image
 * @param maxUses how many tasks an agent runs before it stops; {@code null} for no limit
 * @param warmSchedule a five-field cron expression (UTC) at which the pool warms to {@code
 *     warmSize}; {@code null} for none
 * @param nextWarmAt the next time of {@code warmSchedule}
 * @param status {@code ACTIVE}...
 * @param size agents running now: starting, idle and busy
 * @param waiting leases waiting for an agent at {@code maxSize}
 * @param utilization busy agents / size, now (0 to 1)
 * @param busySeconds agent-seconds spent on tasks since the node started
 * @param agentSeconds agent-seconds the pool's agents ran since the node started
 * @param coldStartsAvoided leases served by an agent that was already running
 * @param exhaustions leases that had to wait at {@code maxSize}
 * @param terminations stopped agents by reason ({@code max_uses}, {@code idle_timeout}, {@code
 *     crashed}...), across nodes, in the order the server sent them
 * @param agents the pool's agents on the node that answered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pool(
    String id,
    String name,
    String runtime,
    String image,
    String definition,
    boolean shared,
    Config config,
    int minSize,
    int maxSize,
    Duration idleTimeout,
    Integer maxUses,
    boolean warmUp,
    Duration leaseTimeout,
    String warmSchedule,
    Integer warmSize,
    Instant nextWarmAt,
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
    Double leaseWaitP50Ms,
    Double leaseWaitP99Ms,
    Map<String, Long> terminations,
    List<PoolAgent> agents) {

  public Pool {
    terminations =
        terminations == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(terminations));
    agents = agents == null ? List.of() : List.copyOf(agents);
  }

  /**
   * The share of the agents' time spent on tasks over the pool's life on the answering node: {@code
   * busySeconds / agentSeconds}; {@code null} before any agent ran.
   */
  @JsonIgnore
  public Double lifetimeUtilization() {
    return agentSeconds > 0 ? busySeconds / agentSeconds : null;
  }

  /**
   * What the pool's agents run with besides their image.
   *
   * @param env environment variables of every agent
   * @param cpus the CPU limit; {@code null} for none
   * @param memoryMb the memory limit; {@code null} for none
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Config(Map<String, String> env, Double cpus, Integer memoryMb) {

    public Config {
      env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
  }
}
