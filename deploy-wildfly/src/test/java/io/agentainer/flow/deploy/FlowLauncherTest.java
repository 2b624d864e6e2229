package io.agentainer.flow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code flow} launcher refuses wrong settings before it builds or starts anything, and signals
 * only the processes it started. Runs the real script from the checkout, with settings that cannot
 * work, its pid files in a folder of each test's own ({@code FLOW_RUN_DIR}) and its token and API
 * address files in another, so a server started by {@code flow up} beside the tests is neither seen
 * nor touched.
 */
class FlowLauncherTest {

  private static final Path FLOW = Path.of("flow").toAbsolutePath();

  @TempDir Path temp;

  private record Outcome(int code, String output) {}

  private Path run() {
    return temp.resolve("run");
  }

  /** The launcher's environment: this test's folders, free ports, then {@code settings}. */
  private ProcessBuilder flowProcess(Map<String, String> settings, String... args)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                Stream.concat(Stream.of("bash", FLOW.toString()), Stream.of(args))
                    .toArray(String[]::new))
            .redirectErrorStream(true);
    Map<String, String> env = new HashMap<>();
    env.put("FLOW_RUN_DIR", run().toString());
    env.put("FLOW_TOKEN_FILE", temp.resolve("home/admin-token").toString());
    env.put("FLOW_MANAGEMENT_PORT", String.valueOf(freePort()));
    env.putAll(settings);
    pb.environment().putAll(env);
    return pb;
  }

  private Outcome flow(Map<String, String> settings, String... args)
      throws IOException, InterruptedException {
    Process process = flowProcess(settings, args).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("flow finished").isTrue();
    return new Outcome(process.exitValue(), output);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A process whose command line names {@code program}, as WildFly's JVM names jboss-modules. */
  private static Process processNamed(String program) throws IOException {
    return new ProcessBuilder("bash", "-c", "exec -a " + program + " sleep 300").start();
  }

  private void writePid(String file, Process process) throws IOException {
    Files.createDirectories(run());
    Files.writeString(run().resolve(file), process.pid() + "\n");
  }

  @Test
  void aWrongDatabaseUrlFailsFastNamingFlowDbUrl() throws Exception {
    String port = String.valueOf(freePort());
    long start = System.nanoTime();
    Outcome outcome =
        flow(
            Map.of(
                "FLOW_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/no_such_database_here",
                "FLOW_PORT",
                port),
            "up");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    assertThat(outcome.code()).isNotZero();
    assertThat(outcome.output())
        .contains("FLOW_DB_URL=jdbc:postgresql://127.0.0.1:5432/no_such_database_here")
        .contains("no such database")
        .doesNotContain("starting WildFly");
    assertThat(seconds).as("fails fast").isLessThan(60);
    assertThat(run()).as("FLOW_RUN_DIR").isDirectory();
    assertThat(run().resolve("wildfly.pid")).doesNotExist();
  }

  @Test
  void aDatabaseUrlOfAnotherKindIsRefusedNamingFlowDbUrl() throws Exception {
    Outcome outcome =
        flow(
            Map.of("FLOW_DB_URL", "jdbc:mysql://127.0.0.1/flow", "FLOW_PORT", "" + freePort()),
            "up");
    assertThat(outcome.code()).isNotZero();
    assertThat(outcome.output()).contains("FLOW_DB_URL must be a PostgreSQL JDBC URL");
  }

  @Test
  void aTakenPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Outcome outcome = flow(Map.of("FLOW_PORT", String.valueOf(taken.getLocalPort())), "up");
      assertThat(outcome.code()).isNotZero();
      assertThat(outcome.output())
          .contains("FLOW_PORT=" + taken.getLocalPort() + " is taken")
          .doesNotContain("embedded PostgreSQL")
          .doesNotContain("starting WildFly");
      assertThat(run().resolve("embedded-postgres.pid")).doesNotExist();
    }
  }

  @Test
  void theTakenPortIsNamedBeforeTheDatabaseIsLookedAt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Outcome outcome =
          flow(
              Map.of(
                  "FLOW_PORT",
                  String.valueOf(taken.getLocalPort()),
                  "FLOW_DB_URL",
                  "jdbc:mysql://127.0.0.1/flow"),
              "up");
      assertThat(outcome.code()).isNotZero();
      assertThat(outcome.output())
          .contains("FLOW_PORT=" + taken.getLocalPort() + " is taken")
          .doesNotContain("FLOW_DB_URL");
    }
  }

  @Test
  void aSecondUpWaitsForTheServerStillStartingInsteadOfCallingItsPortTaken() throws Exception {
    // our WildFly, started but not yet healthy: its JVM runs and its port answers 503
    HttpServer starting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    starting.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    starting.start();
    Process wildfly = processNamed("jboss-modules");
    try {
      writePid("wildfly.pid", wildfly);
      Process up =
          flowProcess(
                  Map.of(
                      "FLOW_PORT",
                      String.valueOf(starting.getAddress().getPort()),
                      // should it look at the database, it stops at once, touching none
                      "FLOW_DB_URL",
                      "jdbc:mysql://127.0.0.1/flow"),
                  "up")
              .start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader output =
          new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = output.readLine()) != null) {
          lines.add(line);
          if (line.contains("waiting until it is healthy")) {
            wildfly.destroy(); // the server dies while the second `up` waits for it
          }
        }
      }
      assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("flow finished").isTrue();

      assertThat(lines)
          .contains(
              "flow: WildFly is starting (pid " + wildfly.pid() + "): waiting until it is healthy");
      assertThat(String.join("\n", lines)).doesNotContain("is taken").doesNotContain("FLOW_DB_URL");
      assertThat(up.exitValue()).isNotZero();
    } finally {
      wildfly.destroyForcibly();
      starting.stop(0);
    }
  }

  @Test
  void downStopsOurProcessesAndLeavesAReusedPidAlone() throws Exception {
    Process wildfly = processNamed("jboss-modules");
    Process stranger = processNamed("someone-elses-program");
    try {
      writePid("wildfly.pid", wildfly);
      writePid("embedded-redis.pid", stranger);

      Outcome outcome = flow(Map.of(), "down");

      assertThat(outcome.code()).isZero();
      assertThat(outcome.output())
          .contains("stopped WildFly")
          .contains(
              "embedded Redis is not running (pid "
                  + stranger.pid()
                  + " now belongs to another program, left alone)");
      assertThat(wildfly.waitFor(30, TimeUnit.SECONDS)).as("WildFly stopped").isTrue();
      assertThat(stranger.isAlive()).as("the other program runs on").isTrue();
      assertThat(run().resolve("wildfly.pid")).doesNotExist();
      assertThat(run().resolve("embedded-redis.pid")).doesNotExist();
    } finally {
      wildfly.destroyForcibly();
      stranger.destroyForcibly();
    }
  }

  @Test
  void statusDoesNotTakeAReusedPidForTheServer() throws Exception {
    Process stranger = processNamed("someone-elses-program");
    try {
      writePid("wildfly.pid", stranger);
      Outcome outcome = flow(Map.of(), "status");
      assertThat(outcome.code()).isEqualTo(3);
      assertThat(outcome.output()).contains("not running");
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void aPortThatIsNoNumberIsNamed() throws Exception {
    Outcome outcome = flow(Map.of("FLOW_PORT", "eighty"), "up");
    assertThat(outcome.code()).isNotZero();
    assertThat(outcome.output()).contains("FLOW_PORT must be a port number, got 'eighty'");
  }

  @Test
  void anUnknownCommandIsAUsageError() throws Exception {
    Outcome outcome = flow(Map.of(), "upp");
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.output()).contains("flow up").contains("flow test");
  }
}
