package io.agentainer.flow.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.ServerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  private static final URI API = URI.create("http://localhost:8081/api/");

  @Test
  void anAnswerIsReachableEvenWhenItSaysDown() {
    ServerHealth down = new ServerHealth("DOWN", "0.1.0", Map.of());

    HealthReport report = HealthReport.probe(API, () -> down);

    assertThat(report).isEqualTo(new HealthReport.Reachable(API, down));
  }

  @Test
  void aFailedCallBecomesUnreachableWithItsReason() {
    HealthReport report =
        HealthReport.probe(
            API,
            () -> {
              throw new FlowClientException("cannot reach " + API, new IOException("refused"));
            });

    assertThat(report).isEqualTo(new HealthReport.Unreachable(API, "cannot reach " + API));
  }

  @Test
  void anUnexpectedFailureIsNotThrown() {
    HealthReport report =
        HealthReport.probe(
            API,
            () -> {
              throw new IllegalStateException("boom");
            });

    assertThat(report).isInstanceOf(HealthReport.Unreachable.class);
    assertThat(((HealthReport.Unreachable) report).reason()).contains("boom");
  }

  @Test
  void readsAHealthReportFromTheApi() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/health",
        exchange -> {
          byte[] body =
              ("{\"status\":\"DEGRADED\",\"version\":\"0.1.0\",\"checks\":{"
                      + "\"database\":{\"status\":\"UP\",\"detail\":\"PostgreSQL 15\",\"millis\":3},"
                      + "\"redis\":{\"status\":\"DOWN\",\"detail\":\"refused\",\"millis\":1}}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      FlowClient client = client("http://127.0.0.1:" + server.getAddress().getPort() + "/api");

      HealthReport report = HealthReport.probe(client.baseUrl(), client::health);

      assertThat(report).isInstanceOf(HealthReport.Reachable.class);
      ServerHealth health = ((HealthReport.Reachable) report).health();
      assertThat(health.status()).isEqualTo("DEGRADED");
      assertThat(health.check("database").up()).isTrue();
      assertThat(health.check("redis").detail()).isEqualTo("refused");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aClosedPortIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    FlowClient client = client("http://127.0.0.1:" + closedPort + "/api");

    HealthReport report = HealthReport.probe(client.baseUrl(), client::health);

    assertThat(report).isInstanceOf(HealthReport.Unreachable.class);
    assertThat(report.api().getPort()).isEqualTo(closedPort);
    assertThat(((HealthReport.Unreachable) report).reason()).contains("cannot reach");
  }

  private static FlowClient client(String api) {
    return FlowClient.builder().baseUrl(api).timeout(Duration.ofSeconds(5)).build();
  }
}
