/**
 * Server nodes: the {@link io.agentainer.flow.server.node.Node} entity, its repository, the
 * registry that registers this server and heartbeats, and {@code GET /api/nodes}. Only the resource
 * may import JAX-RS.
 */
package io.agentainer.flow.server.node;
