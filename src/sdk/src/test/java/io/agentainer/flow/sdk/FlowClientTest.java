package io.agentainer.flow.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.ServerHealth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server on loopback that answers as the API does. */
class FlowClientTest {

  private HttpServer server;
  private final AtomicReference<String> seenAuthorization = new AtomicReference<>();
  private volatile int status = 200;
  private volatile String body =
      "{\"status\":\"DEGRADED\",\"checks\":{\"database\":{\"status\":\"UP\",\"detail\":\"PostgreSQL"
          + " 15\",\"millis\":3},\"docker\":{\"status\":\"DOWN\",\"detail\":\"no socket\",\"millis\":1}},"
          + "\"extra\":true}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/health",
        exchange -> {
          seenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private FlowClient client() {
    return FlowClient.builder()
        .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/api")
        .token("secret")
        .build();
  }

  @Test
  void readsHealthIgnoringFieldsItDoesNotKnow() {
    ServerHealth health = client().health();
    assertThat(health.status()).isEqualTo("DEGRADED");
    assertThat(health.up()).isFalse();
    assertThat(health.check("database").up()).isTrue();
    assertThat(health.check("docker").detail()).isEqualTo("no socket");
    assertThat(seenAuthorization.get()).isEqualTo("Bearer secret");
  }

  @Test
  void a503HealthIsAReportNotAnError() {
    status = 503;
    body = "{\"status\":\"DOWN\",\"checks\":{}}";
    assertThat(client().health().status()).isEqualTo("DOWN");
  }

  @Test
  void anErrorBodyBecomesAnExceptionWithItsCodeAndMessage() {
    status = 403;
    body = "{\"error\":{\"code\":\"forbidden\",\"message\":\"Authorization: not valid\"}}";
    assertThatThrownBy(() -> client().health())
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("forbidden");
              assertThat(e.getMessage()).isEqualTo("Authorization: not valid");
            });
  }

  @Test
  void aClosedPortSaysSoInWords() {
    FlowClient client = FlowClient.builder().baseUrl("http://127.0.0.1:1/api").build();
    assertThatThrownBy(client::health)
        .isInstanceOf(FlowClientException.class)
        .hasMessageContaining("connection refused");
  }
}
