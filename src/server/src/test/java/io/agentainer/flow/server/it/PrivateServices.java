package io.agentainer.flow.server.it;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL and a Redis of a test's own, which it may restart or shut down without touching the
 * services the other tests share: the machine's own binaries, other ports, throw-away folders.
 */
final class PrivateServices {

  private PrivateServices() {}

  /** A Redis without persistence, as the machine's own runs: a restart loses everything. */
  static final class Redis implements AutoCloseable {
    private final int port;
    private Process process;

    Redis(int port) {
      this.port = port;
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    void start() throws IOException {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> run("redis-cli", "-p", Integer.toString(port), "PING").contains("PONG"));
    }

    /** {@code redis-cli SHUTDOWN NOSAVE}: every key is gone. */
    void shutdownNoSave() throws Exception {
      run("redis-cli", "-p", Integer.toString(port), "SHUTDOWN", "NOSAVE");
      process.onExit().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      if (process != null) {
        process.destroy();
        process.onExit().join();
      }
    }
  }

  /**
   * A PostgreSQL cluster in a folder under {@code /tmp}, run by the {@code postgres} user when the
   * tests run as root (PostgreSQL refuses root).
   */
  static final class Postgres implements AutoCloseable {
    private final int port;
    private final Path data;
    private final Path bin;

    Postgres(int port) throws IOException {
      this.port = port;
      this.data = Path.of("/tmp", "agentainer-flow-pg-" + port);
      this.bin = binaries();
    }

    String jdbcUrl() {
      return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    void start() throws Exception {
      if (Files.exists(data)) {
        try (Stream<Path> files = Files.walk(data)) {
          files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
      Files.createDirectories(data);
      asPostgres("chown", "postgres", data.toString());
      asPostgres(
          bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust");
      pgCtl("start");
    }

    /** An immediate restart: no clean shutdown, crash recovery from the WAL at the start. */
    void restartImmediately() throws Exception {
      asPostgres(
          bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
      pgCtl("start");
    }

    private void pgCtl(String action) throws Exception {
      asPostgres(
          bin.resolve("pg_ctl").toString(),
          "-D",
          data.toString(),
          "-l",
          data.resolve("server.log").toString(),
          "-o",
          "-p " + port + " -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200",
          "-w",
          action);
    }

    @Override
    public void close() throws Exception {
      asPostgres(
          bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    private static Path binaries() throws IOException {
      try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
        return versions
            .map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.naturalOrder())
            .orElseThrow(() -> new IOException("no PostgreSQL server under /usr/lib/postgresql"));
      }
    }

    private static void asPostgres(String... command) throws Exception {
      List<String> line = new ArrayList<>();
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root && !command[0].equals("chown")) {
        line.addAll(List.of("runuser", "-u", "postgres", "--"));
      }
      if (!root && command[0].equals("chown")) {
        return; // the folder is ours already
      }
      line.addAll(Arrays.asList(command));
      String output = run(line.toArray(String[]::new));
      if (output.startsWith("exit ")) {
        throw new IllegalStateException(String.join(" ", line) + ": " + output);
      }
    }
  }

  /** Runs a command to its end: its output, or {@code exit <code>: <output>} when it failed. */
  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "exit timeout: " + output;
    }
    return p.exitValue() == 0 ? output : "exit " + p.exitValue() + ": " + output;
  }
}
