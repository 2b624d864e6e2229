package io.agentainer.flow.server.pool;

import io.agentainer.flow.server.definition.PoolSpec;
import java.time.Duration;

/**
 * A pool's sizes and timings, every one resolved.
 *
 * @param maxUses null: an agent serves any number of tasks
 * @param warmSchedule null: no warm-up on a schedule
 * @param warmSize null: warm to {@code maxSize}
 */
public record PoolPolicy(
    int minSize,
    int maxSize,
    Duration idleTimeout,
    Integer maxUses,
    boolean warmUp,
    Duration leaseTimeout,
    String warmSchedule,
    Integer warmSize) {

  /** {@code spec}'s settings, the defaults where it names none. */
  public static PoolPolicy of(PoolSpec spec, Defaults defaults) {
    int min = spec.minSize() != null ? spec.minSize() : 0;
    // a minSize above the default maxSize raises maxSize to it (both written: validated already)
    int max = spec.maxSize() != null ? spec.maxSize() : Math.max(defaults.maxSize(), min);
    return new PoolPolicy(
        min,
        max,
        spec.idleTimeout() != null ? spec.idleTimeout() : defaults.idleTimeout(),
        spec.maxUses(),
        spec.warmsOnRunStart(),
        spec.leaseTimeout() != null ? spec.leaseTimeout() : defaults.leaseTimeout(),
        spec.warmSchedule(),
        spec.warmSize());
  }

  /** How many agents a warm-up on schedule or on demand aims at. */
  public int warmTarget() {
    return Math.min(maxSize, Math.max(minSize, warmSize != null ? warmSize : maxSize));
  }

  /** The server's defaults ({@code FLOW_POOL_*}). */
  public record Defaults(int maxSize, Duration idleTimeout, Duration leaseTimeout) {}
}
