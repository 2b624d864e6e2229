package io.agentainer.flow.server.state;

import java.util.Optional;
import java.util.UUID;

/**
 * Where the current value of whole-number state keys is kept hot, so that parallel increments need
 * no hot PostgreSQL row (DESIGN section 5). PostgreSQL's history stays the record: a counter here
 * is a cache of {@code entry + increments} with a watermark, the highest history id it includes,
 * and is rebuilt from the record whenever it is missing or in doubt.
 *
 * <p>Every method may throw {@link HotCountersUnavailable}; the store then answers from PostgreSQL.
 */
public interface HotCounters {

  /**
   * Adds {@code delta} (history row {@code historyId}) to a loaded counter.
   *
   * @return the value after it (then {@code includesUpTo} is {@code historyId}), or, when the
   *     counter already included {@code historyId} since its load, its value and the watermark it
   *     includes; empty when the counter is not loaded
   */
  Optional<Counter> increment(UUID run, String key, long delta, long historyId);

  /**
   * A counter's value and the highest history id it includes.
   *
   * @param exact whether {@code value} is the value right at {@code includesUpTo} (an increment
   *     just applied, a load); false when it may include later increments too
   */
  record Counter(long value, long includesUpTo, boolean exact) {}

  /**
   * Sets the counter to {@code value}, which includes every history row up to {@code watermark}.
   */
  void load(UUID run, String key, long value, long watermark);

  /** Drops one counter: the next increment loads it again from the record. */
  void forget(UUID run, String key);

  /** Drops every counter (after a restart of this node, or when Redis was unreachable). */
  void forgetAll();

  /** A hot counter store could not be reached. */
  final class HotCountersUnavailable extends RuntimeException {
    public HotCountersUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
