package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One agent of a pool, as {@code GET /api/pools/{id}} lists it.
 *
 * @param status {@code STARTING}, {@code IDLE}, {@code BUSY}...
 * @param uses how many tasks it ran
 * @param endpoint where the server reaches it, e.g. {@code http://127.0.0.1:20001}
 * @param lastUsedAt when its last task ended; {@code null} before its first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolAgent(
    String id, String status, int uses, String endpoint, Instant startedAt, Instant lastUsedAt) {}
