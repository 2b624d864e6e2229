package io.agentainer.flow.server.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of a run's state history.
 *
 * @param value the value written ({@code PUT}, {@code COMPARE_AND_SWAP}) or the element added
 *     ({@code APPEND}, {@code ADD_TO_SET}); null for {@code DELETE} and {@code INCREMENT}
 * @param delta what an {@code INCREMENT} added
 * @param jobId the job whose token made the change, or null for an operator
 */
public record StateChange(
    long id, String key, StateOp op, JsonNode value, BigDecimal delta, UUID jobId, Instant at) {}
