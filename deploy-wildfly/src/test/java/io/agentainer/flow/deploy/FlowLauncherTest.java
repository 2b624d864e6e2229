package io.agentainer.flow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code flow} launcher refuses wrong settings before it builds or starts anything. Runs the
 * real script from the checkout, with settings that cannot work.
 */
class FlowLauncherTest {

  private static final Path FLOW = Path.of("flow").toAbsolutePath();
  private static final Path RUN = Path.of("run").toAbsolutePath();

  private record Outcome(int code, String output) {}

  private static Outcome flow(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                concat(List.of("bash", FLOW.toString()), List.of(args)).toArray(String[]::new))
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("flow finished").isTrue();
    return new Outcome(process.exitValue(), output);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
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
    assertThat(Files.exists(RUN.resolve("wildfly.pid"))).isFalse();
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
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Outcome outcome = flow(Map.of("FLOW_PORT", String.valueOf(taken.getLocalPort())), "up");
      assertThat(outcome.code()).isNotZero();
      assertThat(outcome.output())
          .contains("FLOW_PORT=" + taken.getLocalPort() + " is taken")
          .doesNotContain("starting WildFly");
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
