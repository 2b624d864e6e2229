package io.agentainer.flow.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's side of the protocol against a real HTTP server on loopback. */
class AgentClientTest {

  private final ObjectMapper json = new ObjectMapper();
  private final AgentClient client = new AgentClient(json);
  private HttpServer agent;
  private final AtomicReference<String> received = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile String body = "{\"output\":{\"n\":1}}";

  @BeforeEach
  void start() throws Exception {
    agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext(
        "/health",
        x -> {
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    agent.createContext(
        "/task",
        x -> {
          received.set(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if ("hang".equals(body)) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if ("drop".equals(body)) {
            x.close(); // no response at all
            return;
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(status, bytes.length);
          x.getResponseBody().write(bytes);
          x.close();
        });
    agent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    agent.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    agent.stop(0);
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + agent.getAddress().getPort());
  }

  private ObjectNode task() {
    return json.createObjectNode().put("jobId", "j1").put("handler", "echo");
  }

  @Test
  void waitsUntilTheAgentAnswersItsHealthCheck() throws Exception {
    assertThat(client.awaitReady(endpoint(), Duration.ofSeconds(2), () -> true)).isTrue();
  }

  @Test
  void givesUpAtOnceWhenTheAgentIsGone() throws Exception {
    long start = System.nanoTime();
    boolean ready =
        client.awaitReady(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(10), () -> false);
    assertThat(ready).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void sendsTheTaskAndReadsTheOutput() throws Exception {
    TaskOutcome outcome = client.send(endpoint(), task(), Duration.ofSeconds(5));
    assertThat(outcome).isEqualTo(new TaskOutcome.Succeeded("{\"n\":1}"));
    assertThat(json.readTree(received.get()).get("handler").asText()).isEqualTo("echo");
  }

  @Test
  void readsTheAgentsErrorAsItIs() throws Exception {
    status = 422;
    body =
        "{\"error\":{\"type\":\"bad_input\",\"message\":\"input.item: required\",\"retryable\":false}}";
    assertThat(client.send(endpoint(), task(), Duration.ofSeconds(5)))
        .isEqualTo(new TaskOutcome.Failed("bad_input", "input.item: required", false));
  }

  @Test
  void aNonJsonErrorNamesTheStatusAndA5xxMayBeRetried() throws Exception {
    status = 503;
    body = "busy";
    TaskOutcome outcome = client.send(endpoint(), task(), Duration.ofSeconds(5));
    assertThat(outcome)
        .isEqualTo(
            new TaskOutcome.Failed("agent_error", "the agent answered HTTP 503: busy", true));
  }

  @Test
  void aSuccessWithoutAJsonObjectIsAProtocolError() throws Exception {
    body = "ok";
    assertThat(client.send(endpoint(), task(), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            TaskOutcome.Failed.class, f -> assertThat(f.type()).isEqualTo("protocol_error"));
  }

  @Test
  void noAnswerInTimeIsATimeout() throws Exception {
    body = "hang";
    assertThat(client.send(endpoint(), task(), Duration.ofMillis(300)))
        .isEqualTo(new TaskOutcome.TimedOut(300));
  }

  @Test
  void aBrokenConnectionIsLost() throws Exception {
    body = "drop";
    assertThat(client.send(endpoint(), task(), Duration.ofSeconds(5)))
        .isInstanceOf(TaskOutcome.Lost.class);
    assertThat(client.send(URI.create("http://127.0.0.1:1"), task(), Duration.ofSeconds(5)))
        .isInstanceOf(TaskOutcome.Lost.class);
  }
}
