package io.agentainer.flow.server.pool;

/**
 * {@code PUT /api/pools/{id}}: the settings to change; null leaves one as it is. Durations as users
 * write them ({@code PT5M}, {@code 5m}).
 */
public record PoolChange(
    Integer minSize,
    Integer maxSize,
    String idleTimeout,
    Integer maxUses,
    String leaseTimeout,
    String warmSchedule,
    Integer warmSize) {}
