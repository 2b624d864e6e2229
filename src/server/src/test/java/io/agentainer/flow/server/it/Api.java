package io.agentainer.flow.server.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/** A small client of the REST API for the integration tests: JSON in, JSON out. */
final class Api {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = System.getProperty("flow.test.admin.token");
  static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  Api(URI base) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
  }

  URI base() {
    return base;
  }

  record Reply(int status, JsonNode json, String text) {}

  Reply get(String path) {
    return get(path, ADMIN);
  }

  Reply get(String path, String token) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), token);
  }

  Reply post(String path, Object body) {
    return post(path, body, ADMIN);
  }

  Reply post(String path, Object body, String token) {
    try {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(text)),
          token);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registers a definition written in YAML ({@code POST /api/definitions}) as the admin. */
  Reply register(String yaml) {
    return call("POST", "definitions", yaml, ADMIN, "Content-Type", "application/yaml");
  }

  /** Any call: {@code body} null for none, a String as it is, else as JSON. */
  Reply call(String method, String path, Object body, String token, String... headers) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        if (!java.util.Arrays.asList(headers).contains("Content-Type")) {
          request.header("Content-Type", "application/json");
        }
        request.method(method, HttpRequest.BodyPublishers.ofString(text));
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.header(headers[i], headers[i + 1]);
      }
      return send(request, token);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Reply send(HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = response.body().isEmpty() ? null : JSON.readTree(response.body());
      } catch (IOException notJson) {
        // text/plain
      }
      return new Reply(response.statusCode(), json, response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Submits a job and returns its id. */
  String submit(String runtime, String handler, ObjectNode input) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode agent = body.putObject("agent");
    agent
        .put("image", "agentainer/example-agent:latest")
        .put("handler", handler)
        .put("runtime", runtime);
    body.set("input", input == null ? JSON.createObjectNode() : input);
    Reply reply = post("jobs", body);
    if (reply.status() != 202) {
      throw new AssertionError("submit answered " + reply.status() + ": " + reply.text());
    }
    return reply.json().get("id").asText();
  }

  /** Waits until the job has ended and returns it. */
  JsonNode awaitFinal(String id, Duration limit) {
    return await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> get("jobs/" + id + "?wait=PT5S").json(),
            job -> FINAL.contains(job.get("status").asText()));
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }
}
