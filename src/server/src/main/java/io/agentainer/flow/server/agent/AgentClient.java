package io.agentainer.flow.server.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server's side of the agent task protocol v1 ({@code src/sdk/PROTOCOL.md}): waits for an
 * agent's {@code GET /health}, sends {@code POST /task} with a time limit, and asks for {@code
 * DELETE /task/{jobId}} on cancel.
 */
public class AgentClient {

  private static final Duration CONNECT = Duration.ofSeconds(2);

  private final HttpClient http;
  private final ObjectMapper json;

  public AgentClient(ObjectMapper json) {
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT)
            .build();
  }

  /**
   * Waits until the agent answers its health check with a 2xx.
   *
   * @param alive false once the agent's process or container has ended: waiting stops at once
   * @return whether it became ready within {@code limit}
   */
  public boolean awaitReady(URI endpoint, Duration limit, BooleanSupplier alive)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    HttpRequest health =
        HttpRequest.newBuilder(endpoint.resolve("/health"))
            .timeout(Duration.ofMillis(500))
            .GET()
            .build();
    long pause = 1;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> response = http.send(health, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!alive.getAsBoolean()) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(pause); // the agent is booting; there is no event to wait on
      pause = Math.min(pause * 2, 8);
    }
    return false;
  }

  /**
   * One health check: whether the agent answers {@code GET /health} with a 2xx within {@code
   * limit}.
   */
  public boolean healthy(URI endpoint, Duration limit) {
    HttpRequest health =
        HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(limit).GET().build();
    try {
      return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends one task and waits for its answer, at most {@code timeout}. */
  public TaskOutcome send(URI endpoint, ObjectNode task, Duration timeout)
      throws InterruptedException {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(endpoint.resolve("/task"))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(task)))
              .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the task request", e);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return new TaskOutcome.TimedOut(timeout.toMillis());
    } catch (java.net.ConnectException e) {
      return new TaskOutcome.Lost("connection refused: " + e.getMessage(), false);
    } catch (IOException e) {
      return new TaskOutcome.Lost(
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    return outcome(response.statusCode(), response.body());
  }

  TaskOutcome outcome(int status, String body) {
    JsonNode tree;
    try {
      tree = body == null || body.isBlank() ? null : json.readTree(body);
    } catch (IOException e) {
      tree = null;
    }
    if (status / 100 == 2) {
      if (tree == null || !tree.isObject()) {
        return new TaskOutcome.Failed(
            "protocol_error", "the agent answered " + status + " without a JSON object", false);
      }
      JsonNode output = tree.get("output");
      return new TaskOutcome.Succeeded(
          output == null || output.isNull() ? null : output.toString());
    }
    JsonNode error = tree == null ? null : tree.get("error");
    if (error != null && error.isObject()) {
      return new TaskOutcome.Failed(
          error.path("type").asText("handler_error"),
          error.path("message").asText("the agent reported an error"),
          error.path("retryable").asBoolean(false));
    }
    String text = body == null ? "" : body.strip();
    return new TaskOutcome.Failed(
        "agent_error",
        "the agent answered HTTP " + status + (text.isEmpty() ? "" : ": " + abbreviate(text)),
        status >= 500);
  }

  /** Asks the agent to stop working on a job; best effort, errors ignored. */
  public void cancel(URI endpoint, String jobId) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/task/" + jobId))
            .timeout(Duration.ofMillis(500))
            .DELETE()
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
