package io.agentainer.flow.server.infra.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Against the Redis on 127.0.0.1:6379 (database 1, which the tests own). */
class RedisConnectorTest {

  @Test
  void connectsToTheDatabaseTheUrlNames() {
    try (RedisClient redis = RedisConnector.create("redis://127.0.0.1:6379/1", 2000)) {
      redis.set("flow:test:db", "one");
      assertThat(redis.get("flow:test:db")).isEqualTo("one");
      redis.del("flow:test:db");
    }
    try (RedisClient redis = RedisConnector.create("redis://127.0.0.1:6379/0", 2000)) {
      assertThat(redis.get("flow:test:db")).isNull();
    }
  }

  @Test
  void refusesAUrlThatIsNotRedisNamingTheSetting() {
    assertThatThrownBy(() -> RedisConnector.create("http://127.0.0.1:6379", 2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("FLOW_REDIS_URL");
  }

  @Test
  void aRedisThatIsNotThereFailsWithinTheTimeout() {
    try (RedisClient redis = RedisConnector.create("redis://127.0.0.1:1/0", 500)) {
      assertThatThrownBy(redis::ping).isInstanceOf(JedisConnectionException.class);
    }
  }
}
