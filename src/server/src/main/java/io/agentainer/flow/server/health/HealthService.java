package io.agentainer.flow.server.health;

import io.agentainer.flow.server.common.ServerVersion;
import io.agentainer.flow.server.health.HealthReport.Check;
import io.agentainer.flow.server.infra.docker.DockerEngine;
import io.agentainer.flow.server.infra.redis.RedisConnector;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Checks the database, Redis and the Docker engine at once, each within {@link #LIMIT}, and says
 * why one is down.
 */
@ApplicationScoped
public class HealthService {

  /** The time limit of one check. */
  static final Duration LIMIT = Duration.ofSeconds(3);

  @Resource(lookup = "java:jboss/datasources/FlowDS")
  DataSource dataSource;

  @Resource ManagedExecutorService executor;

  @Inject RedisConnector redis;
  @Inject DockerEngine docker;

  public HealthReport check() {
    Map<String, CompletableFuture<Check>> running = new LinkedHashMap<>();
    running.put(HealthReport.DATABASE, timed(this::database, executor));
    running.put("redis", timed(redis::ping, executor));
    running.put("docker", timed(docker::ping, executor));
    Map<String, Check> checks = new LinkedHashMap<>();
    running.forEach((name, future) -> checks.put(name, future.join()));
    return HealthReport.of(ServerVersion.get(), checks);
  }

  private String database() {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.isValid((int) LIMIT.toSeconds())) {
        throw new IllegalStateException("connection is not valid");
      }
      DatabaseMetaData meta = connection.getMetaData();
      return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Runs {@code probe} on {@code executor}: up with its detail, or down with the reason. */
  static CompletableFuture<Check> timed(Supplier<String> probe, Executor executor) {
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(probe, executor)
        .orTimeout(LIMIT.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (detail, error) -> {
              long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              return error == null ? Check.up(detail, millis) : Check.down(reason(error), millis);
            });
  }

  static String reason(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException || cause.getMessage() == null)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof TimeoutException) {
      return "no answer within " + LIMIT.toSeconds() + " s";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
