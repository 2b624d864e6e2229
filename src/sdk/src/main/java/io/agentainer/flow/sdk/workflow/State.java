package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A run's state as a step sees it ({@link Context#state()}): keys mapped to JSON values with atomic
 * operations. Inside an agent it is the run's state on the server ({@code src/sdk/STATE.md}: each
 * change counts once even when a task is retried); in {@link LocalRunner} an in-memory map with the
 * same semantics. Values are {@link JsonNode}s or anything Jackson writes as JSON.
 *
 * <p>The blocking forms throw what the async forms complete with: a {@link
 * io.agentainer.flow.sdk.agent.TaskFailure} when the change does not fit the value (say, an
 * increment of a string) or the server cannot be reached.
 */
public interface State {

  /** The value at {@code key}: empty when absent, JSON {@code null} when it holds null. */
  Optional<JsonNode> get(String key);

  /** As {@link #get}, without blocking. */
  CompletionStage<Optional<JsonNode>> getAsync(String key);

  /** Every key with its value, as one consistent snapshot. */
  Map<String, JsonNode> snapshot();

  /** Sets {@code key}; returns the value stored. */
  JsonNode put(String key, Object value);

  /** As {@link #put}, without blocking. */
  CompletionStage<JsonNode> putAsync(String key, Object value);

  /** Removes {@code key}; whether it was there. */
  boolean delete(String key);

  /** Adds {@code by} to the number at {@code key} (absent counts as 0); returns the new value. */
  JsonNode increment(String key, long by);

  /** As {@link #increment(String, long)}, by a decimal. */
  JsonNode increment(String key, BigDecimal by);

  /** As {@link #increment(String, long)}, without blocking. */
  CompletionStage<JsonNode> incrementAsync(String key, long by);

  /** Appends {@code value} to the list at {@code key} (absent: a new list). */
  void append(String key, Object value);

  /** As {@link #append}, without blocking. */
  CompletionStage<Void> appendAsync(String key, Object value);

  /** Adds {@code value} to the set (a list without repeats) at {@code key}; whether it was new. */
  boolean addToSet(String key, Object value);

  /** As {@link #addToSet}, without blocking. */
  CompletionStage<Boolean> addToSetAsync(String key, Object value);

  /**
   * Sets {@code key} to {@code value} if it holds {@code expected} (null: absent), atomically;
   * whether it was swapped.
   */
  boolean compareAndSwap(String key, Object expected, Object value);
}
