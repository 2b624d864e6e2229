/**
 * Agent pools: warm agents of one image and configuration lent to pooled jobs one task at a time
 * ({@code src/sdk/POOLS.md}). {@link io.agentainer.flow.server.pool.AgentPool} holds a pool's
 * agents and leases on this node; {@link io.agentainer.flow.server.pool.PoolManager} runs every
 * pool of the node (warm-up, drain, upkeep, shutdown); {@link
 * io.agentainer.flow.server.pool.PoolRegistry} keeps pools and their agents' records; {@code
 * /api/pools} is {@link io.agentainer.flow.server.pool.PoolResource}.
 */
package io.agentainer.flow.server.pool;
