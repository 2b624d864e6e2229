package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What {@code POST /api/pools/{id}/warm} answers.
 *
 * @param pool the pool warmed
 * @param target how many agents the pool is to hold (never above its {@code maxSize})
 * @param starting how many agents this call started
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolWarm(String pool, int target, int starting) {}
