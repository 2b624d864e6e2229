package io.agentainer.flow.server.infra.redis;

import io.agentainer.flow.server.state.HotCounters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Hot counters in Redis: one hash per key ({@code v} the value, {@code w} the watermark), changed
 * by Lua scripts so that a check and its change are one atomic step. Counters expire an hour after
 * their last use; an expired one is loaded again from PostgreSQL.
 */
@ApplicationScoped
public class RedisHotCounters implements HotCounters {

  static final String PREFIX = "flow:state:";
  private static final String TTL_MILLIS = "3600000";

  /** Adds ARGV[1] unless the counter is missing (nil) or already includes history id ARGV[2]. */
  private static final String INCREMENT =
      "local w = redis.call('HGET', KEYS[1], 'w')\n"
          + "if not w then return nil end\n"
          + "if tonumber(ARGV[2]) <= tonumber(w) then\n"
          + "  return {redis.call('HGET', KEYS[1], 'v'), w}\n"
          + "end\n"
          + "local v = redis.call('HINCRBY', KEYS[1], 'v', ARGV[1])\n"
          + "redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
          + "return tostring(v)";

  private static final String LOAD =
      "redis.call('HSET', KEYS[1], 'v', ARGV[1], 'w', ARGV[2])\n"
          + "redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
          + "return 1";

  private final RedisConnector redis;

  @Inject
  public RedisHotCounters(RedisConnector redis) {
    this.redis = redis;
  }

  /** For CDI's proxy. */
  protected RedisHotCounters() {
    this.redis = null;
  }

  @Override
  public Optional<Counter> increment(UUID run, String key, long delta, long historyId) {
    try {
      Object answer =
          redis
              .client()
              .eval(
                  INCREMENT,
                  List.of(redisKey(run, key)),
                  List.of(Long.toString(delta), Long.toString(historyId), TTL_MILLIS));
      if (answer == null) {
        return Optional.empty();
      }
      if (answer instanceof List<?> valueAndWatermark) {
        return Optional.of(
            new Counter(
                Long.parseLong(text(valueAndWatermark.get(0))),
                Long.parseLong(text(valueAndWatermark.get(1))),
                false));
      }
      return Optional.of(new Counter(Long.parseLong(text(answer)), historyId, true));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void load(UUID run, String key, long value, long watermark) {
    try {
      redis
          .client()
          .eval(
              LOAD,
              List.of(redisKey(run, key)),
              List.of(Long.toString(value), Long.toString(watermark), TTL_MILLIS));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void forget(UUID run, String key) {
    try {
      redis.client().del(redisKey(run, key));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void forgetAll() {
    try {
      ScanParams match = new ScanParams().match(PREFIX + "*").count(1000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = redis.client().scan(cursor, match);
        if (!page.getResult().isEmpty()) {
          redis.client().del(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  /** {@code flow:state:<run>:<key>}; the key part is the state key as it is. */
  static String redisKey(UUID run, String key) {
    return PREFIX + run + ":" + key;
  }

  private static String text(Object answer) {
    return answer instanceof byte[] bytes
        ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
        : answer.toString();
  }

  private static HotCountersUnavailable unavailable(JedisException e) {
    return new HotCountersUnavailable("Redis: " + e.getMessage(), e);
  }
}
