package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One change of a run's state, a row of {@code GET /api/workflows/{id}/state/history}, in the order
 * the changes happened.
 *
 * @param id the change's number in the history, growing
 * @param op what it did: {@link #PUT}, {@link #DELETE}, {@link #INCREMENT}, {@link #APPEND}, {@link
 *     #ADD_TO_SET} or {@link #COMPARE_AND_SWAP}
 * @param value the value written, or for {@code APPEND} and {@code ADD_TO_SET} the element; JSON
 *     {@code null} (never Java {@code null}) when the change wrote none ({@code DELETE}, {@code
 *     INCREMENT})
 * @param delta what an {@code INCREMENT} added; {@code null} for other changes
 * @param jobId the job whose token made the change; {@code null} for an operator's change
 * @param at when it was made
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StateChange(
    long id, String key, String op, JsonNode value, BigDecimal delta, UUID jobId, Instant at) {

  public static final String PUT = "PUT";
  public static final String DELETE = "DELETE";
  public static final String INCREMENT = "INCREMENT";
  public static final String APPEND = "APPEND";
  public static final String ADD_TO_SET = "ADD_TO_SET";
  public static final String COMPARE_AND_SWAP = "COMPARE_AND_SWAP";

  /** Every operation, in the order of {@code STATE.md}. */
  public static final List<String> OPS =
      List.of(PUT, DELETE, INCREMENT, APPEND, ADD_TO_SET, COMPARE_AND_SWAP);

  public StateChange {
    value = value == null ? NullNode.getInstance() : value;
  }
}
