package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * The body of {@code PUT /api/pools/{id}}: the settings of a pool to change. Values left {@code
 * null} are not sent and stay as they are; the server refuses a bad value with a 400 naming it, and
 * then changes nothing.
 *
 * <pre>{@code
 * client.resizePool("wordcount-example-agent-3f2a91c0", PoolChange.sizes(1, 8));
 * }</pre>
 *
 * @param minSize agents the pool keeps running, 0 or more
 * @param maxSize the most agents the pool runs on a node, 1 or more; shrinking stops idle agents
 *     above it now, busy ones when their task ends
 * @param idleTimeout how long an agent may stay idle while the pool is above {@code minSize}; sent
 *     as ISO-8601 ({@code PT5M})
 * @param maxUses how many tasks an agent runs before it stops
 * @param leaseTimeout how long a lease waits at {@code maxSize} before {@code pool_exhausted}
 * @param warmSchedule a five-field cron expression (UTC) at which the pool warms to {@code
 *     warmSize}
 * @param warmSize how many agents warming starts up to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolChange(
    Integer minSize,
    Integer maxSize,
    Duration idleTimeout,
    Integer maxUses,
    Duration leaseTimeout,
    String warmSchedule,
    Integer warmSize) {

  /** A change of the sizes only; either may be {@code null} to keep it. */
  public static PoolChange sizes(Integer minSize, Integer maxSize) {
    return new PoolChange(minSize, maxSize, null, null, null, null, null);
  }
}
