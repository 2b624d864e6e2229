package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API from outside, as a client sees it. */
@ArquillianTest
@RunAsClient
class ApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = System.getProperty("flow.test.admin.token");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;

  private Client client;

  @BeforeEach
  void open() {
    client = ClientBuilder.newClient();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private JsonNode json(Response response) throws Exception {
    return JSON.readTree(response.readEntity(String.class));
  }

  @Test
  void healthIsOpenAndReportsTheDatabaseAndRedisUp() throws Exception {
    try (Response response = client.target(base.toURI()).path("health").request().get()) {
      assertThat(response.getStatus()).isEqualTo(200);
      JsonNode health = json(response);
      assertThat(health.at("/checks/database/status").asText()).isEqualTo("UP");
      assertThat(health.at("/checks/database/detail").asText()).startsWith("PostgreSQL");
      assertThat(health.at("/checks/redis/status").asText()).isEqualTo("UP");
      assertThat(health.at("/checks/redis/detail").asText()).startsWith("Redis");
      assertThat(health.at("/checks/docker/status").asText()).isIn("UP", "DOWN");
      assertThat(health.at("/checks/docker/detail").asText()).isNotBlank();
      assertThat(health.get("status").asText()).isIn("UP", "DEGRADED");
      assertThat(health.get("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
      assertThat(health.at("/checks/database").has("up")).isFalse();
    }
  }

  @Test
  void everythingElseNeedsAToken() throws Exception {
    try (Response response = client.target(base.toURI()).path("nodes").request().get()) {
      assertThat(response.getStatus()).isEqualTo(401);
      assertThat(response.getHeaderString("WWW-Authenticate")).startsWith("Bearer");
      assertThat(json(response).at("/error/code").asText()).isEqualTo("unauthenticated");
    }
    try (Response response =
        client
            .target(base.toURI())
            .path("nodes")
            .request()
            .header("Authorization", "Basic abc")
            .get()) {
      assertThat(response.getStatus()).isEqualTo(401);
    }
  }

  @Test
  void aWrongTokenIsForbidden() throws Exception {
    try (Response response =
        client
            .target(base.toURI())
            .path("nodes")
            .request()
            .header("Authorization", "Bearer not-the-token")
            .get()) {
      assertThat(response.getStatus()).isEqualTo(403);
      assertThat(json(response).at("/error/code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void theAdminTokenOpensTheApi() throws Exception {
    try (Response response =
        client
            .target(base.toURI())
            .path("nodes")
            .request()
            .header("Authorization", "Bearer " + TOKEN)
            .get()) {
      assertThat(response.getStatus()).isEqualTo(200);
      JsonNode page = json(response);
      assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(page.get("items").get(0).get("status").asText()).isIn("ACTIVE", "STOPPED");
      assertThat(page.get("size").asInt()).isEqualTo(50);
    }
  }

  @Test
  void badInputIsA400NamingTheField() throws Exception {
    try (Response response =
        client
            .target(base.toURI())
            .path("nodes")
            .queryParam("size", 0)
            .request()
            .header("Authorization", "Bearer " + TOKEN)
            .get()) {
      assertThat(response.getStatus()).isEqualTo(400);
      JsonNode error = json(response).get("error");
      assertThat(error.get("message").asText()).startsWith("size:");
      assertThat(error.at("/details/field").asText()).isEqualTo("size");
    }
  }

  @Test
  void anUnknownPathIsAJson404() throws Exception {
    try (Response response =
        client
            .target(base.toURI())
            .path("no-such-thing")
            .request()
            .header("Authorization", "Bearer " + TOKEN)
            .get()) {
      assertThat(response.getStatus()).isEqualTo(404);
      assertThat(json(response).at("/error/code").asText()).isEqualTo("not_found");
    }
  }
}
