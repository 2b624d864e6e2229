package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What {@code POST /api/pools/{id}/drain} answers. The pool stays usable: new leases start new
 * agents.
 *
 * @param pool the pool drained
 * @param stopping idle agents stopping now
 * @param retiring busy agents that stop when their task ends
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolDrain(String pool, int stopping, int retiring) {}
