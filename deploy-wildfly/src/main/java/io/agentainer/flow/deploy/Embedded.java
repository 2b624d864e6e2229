package io.agentainer.flow.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import redis.embedded.RedisServer;

/**
 * Embedded PostgreSQL or Redis for machines that have neither: the launcher starts one in the
 * background when nothing answers at the configured address, and stops it on {@code flow down}.
 *
 * <pre>
 * java Embedded postgres &lt;port&gt; &lt;data-dir&gt;   # PostgreSQL 14, user postgres, trust auth
 * java Embedded redis &lt;port&gt;                  # Redis 7, no persistence
 * </pre>
 *
 * It prints {@code ready} once the service accepts connections and runs until it is terminated.
 */
public final class Embedded {

  private Embedded() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: Embedded postgres <port> <data-dir> | Embedded redis <port>");
      System.exit(2);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable service;
    try {
      service =
          start(
              args[0],
              Integer.parseInt(args[1]),
              Path.of(args.length > 2 ? args[2] : "embedded-postgres"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    System.err.println("stopping " + args[0] + ": " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                }));
    System.out.println("ready " + args[0] + " " + args[1]);
    stopped.await();
  }

  /**
   * Starts {@code postgres} (PostgreSQL 14, user postgres, trust auth, data kept in {@code data})
   * or {@code redis} (no persistence) on {@code port} of 127.0.0.1; closing the result stops it.
   */
  public static AutoCloseable start(String what, int port, Path data) throws IOException {
    switch (what) {
      case "postgres" -> {
        Files.createDirectories(data);
        EmbeddedPostgres pg =
            EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        return pg;
      }
      case "redis" -> {
        RedisServer redis =
            RedisServer.builder()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        return redis::stop;
      }
      default ->
          throw new IllegalArgumentException("unknown service " + what + ": postgres or redis");
    }
  }
}
