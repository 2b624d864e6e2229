package io.agentainer.flow.sdk.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.sdk.agent.AgentHttp;
import io.agentainer.flow.sdk.agent.AgentHttp.Answer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example agent as the process runtime starts it: a child JVM given {@code FLOW_AGENT_PORT=0},
 * which prints its ready line, serves, crashes on {@code crash} and stops on SIGTERM.
 */
class ExampleAgentProcessTest {

  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** Starts the agent and answers the port from its ready line. */
  private int startAgent() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ExampleAgent.class.getName());
    builder.environment().put("FLOW_AGENT_PORT", "0");
    builder.redirectError(ProcessBuilder.Redirect.PIPE);
    process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).startsWith(ExampleAgent.READY_LINE + "127.0.0.1:");
    return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
  }

  @Test
  void servesFromItsReadyLineWithoutTheDelayedAckPause() throws Exception {
    AgentHttp http = new AgentHttp(startAgent());
    assertThat(http.get("/health").status()).isEqualTo(200);
    assertThat(http.task("{\"jobId\":\"j\",\"stepId\":\"echo\",\"input\":[1]}").body().toString())
        .isEqualTo("{\"output\":[1]}");
    for (int i = 0; i < 5; i++) {
      http.task("{\"jobId\":\"j\",\"stepId\":\"echo\",\"input\":[1]}"); // warm up
    }
    long[] nanos = new long[21];
    for (int i = 0; i < nanos.length; i++) {
      long began = System.nanoTime();
      http.task("{\"jobId\":\"j" + i + "\",\"stepId\":\"echo\",\"input\":{\"i\":" + i + "}}");
      nanos[i] = System.nanoTime() - began;
    }
    java.util.Arrays.sort(nanos);
    Duration median = Duration.ofNanos(nanos[nanos.length / 2]);
    // with Nagle's algorithm on, every response waits ~40 ms for the delayed ACK
    assertThat(median).isLessThan(Duration.ofMillis(25));
  }

  @Test
  void crashExitsWith137MidTask() throws Exception {
    AgentHttp http = new AgentHttp(startAgent());
    Throwable failure =
        http.taskAsync("{\"jobId\":\"doomed\",\"stepId\":\"crash\",\"input\":{}}")
            .handle((answer, error) -> error)
            .get(30, TimeUnit.SECONDS);
    assertThat(failure).isNotNull(); // the connection dropped: no answer
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(137);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stderr).contains("crash: job doomed");
  }

  @Test
  void stopsGracefullyOnSigterm() throws Exception {
    AgentHttp http = new AgentHttp(startAgent());
    Answer health = http.get("/health");
    assertThat(health.status()).isEqualTo(200);
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
  }
}
