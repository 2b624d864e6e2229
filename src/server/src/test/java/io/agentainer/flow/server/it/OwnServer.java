package io.agentainer.flow.server.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A WildFly of a test's own, for what Arquillian cannot do to its server (kill -9 it, restart it,
 * point it at another PostgreSQL or Redis): its own server folder from the provisioned WildFly's
 * configuration, the server WAR deployed, its own port offset and settings.
 */
final class OwnServer implements AutoCloseable {

  private final Path home = Path.of(System.getProperty("flow.test.wildfly"));
  private final Path base;
  private final int offset;
  private final Map<String, String> settings;
  private Process server;

  /**
   * @param name the server folder under {@code target}
   * @param offset the port offset (HTTP on 8081 + offset)
   * @param settings {@code FLOW_*} environment of the server
   */
  OwnServer(String name, int offset, Map<String, String> settings) throws IOException {
    this.base = Path.of("target", name).toAbsolutePath();
    this.offset = offset;
    this.settings = settings;
    prepareServerFolder();
  }

  int httpPort() {
    return 8081 + offset;
  }

  Api api() {
    return new Api(URI.create("http://127.0.0.1:" + httpPort() + "/api/"));
  }

  /** A new empty database {@code name} on the shared PostgreSQL. */
  static void freshDatabase(String name) throws Exception {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name + " with (force)");
      s.execute("create database " + name);
    }
  }

  static Connection connect(String database) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
  }

  private void prepareServerFolder() throws IOException {
    if (Files.exists(base)) {
      try (Stream<Path> files = Files.walk(base)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(base.resolve("deployments"));
    copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
    Files.copy(
        Path.of(System.getProperty("flow.test.war")),
        base.resolve("deployments/agentainer-flow-server.war"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Starts the server and waits until its health answers. */
  void start() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.http.port=8081")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("console.log").toFile()));
    Map<String, String> env = pb.environment();
    env.put("FLOW_ADMIN_TOKEN", Api.ADMIN);
    env.put("FLOW_TOKEN_FILE", base.resolve("admin-token").toString());
    env.put("JAVA_OPTS", "-Xmx512m -Djava.net.preferIPv4Stack=true");
    env.remove("FLOW_PORT");
    env.putAll(settings);
    server = pb.start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> api().get("health").status() == 200);
  }

  /** Stops the server's JVM: with SIGKILL when {@code hard} (no clean-up at all), else SIGTERM. */
  void kill(boolean hard) {
    if (server == null) {
      return;
    }
    Optional<ProcessHandle> jvm =
        server
            .toHandle()
            .descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
            .findFirst();
    jvm.ifPresent(
        p -> {
          if (hard) {
            p.destroyForcibly();
          } else {
            p.destroy();
          }
          p.onExit().join();
        });
    server.destroy();
    server.onExit().join();
    server = null;
  }

  @Override
  public void close() {
    kill(false);
  }
}
