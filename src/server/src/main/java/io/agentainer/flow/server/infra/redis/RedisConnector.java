package io.agentainer.flow.server.infra.redis;

import io.agentainer.flow.server.config.FlowSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The server's connection pool to Redis ({@code FLOW_REDIS_URL}), created on first use so that a
 * Redis that is down does not stop the server from starting; health reports it instead.
 */
@ApplicationScoped
public class RedisConnector {

  private final FlowSettings settings;
  private volatile RedisClient client;

  @Inject
  public RedisConnector(FlowSettings settings) {
    this.settings = settings;
  }

  /** For CDI's proxy. */
  protected RedisConnector() {
    this.settings = null;
  }

  /** The shared client. Commands on it fail with a Jedis exception while Redis is down. */
  public RedisClient client() {
    RedisClient current = client;
    if (current == null) {
      synchronized (this) {
        current = client;
        if (current == null) {
          current = create(settings.redisUrl(), (int) settings.redisTimeout().toMillis());
          client = current;
        }
      }
    }
    return current;
  }

  /** {@code PING}, and the server's version: what health shows. */
  public String ping() {
    RedisClient redis = client();
    String pong = redis.ping();
    if (!"PONG".equalsIgnoreCase(pong)) {
      throw new IllegalStateException("unexpected answer to PING: " + pong);
    }
    String info = redis.info("server");
    return info.lines()
        .filter(l -> l.startsWith("redis_version:"))
        .map(l -> "Redis " + l.substring("redis_version:".length()).trim())
        .findFirst()
        .orElse("Redis");
  }

  @PreDestroy
  void close() {
    if (client != null) {
      client.close();
    }
  }

  /** A client for {@code redis://[user:password@]host[:port][/database]}. */
  static RedisClient create(String url, int timeoutMillis) {
    URI uri = URI.create(url);
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "FLOW_REDIS_URL: expected redis://host:port[/database], got " + url);
    }
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis)
            .ssl("rediss".equals(uri.getScheme()))
            .clientName("agentainer-flow");
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      config.database(Integer.parseInt(path.substring(1)));
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
      String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
      if (user != null && !user.isEmpty()) {
        config.user(user);
      }
      config.password(password);
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(64);
    pool.setMaxIdle(16);
    pool.setMaxWait(java.time.Duration.ofMillis(timeoutMillis));
    return RedisClient.builder()
        .hostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())
        .clientConfig(config.build())
        .poolConfig(pool)
        .build();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
