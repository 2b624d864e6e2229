package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A JDK HTTP client of an agent on loopback, for tests. */
public final class AgentHttp {

  /** A response: its status and its body as JSON (null for an empty body). */
  public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    public JsonNode error() {
      return body.path("error");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public AgentHttp(URI base) {
    this.base = base;
  }

  public AgentHttp(int port) {
    this(URI.create("http://127.0.0.1:" + port));
  }

  public Answer get(String path) {
    return join(getAsync(path));
  }

  public CompletableFuture<Answer> getAsync(String path) {
    return send(request(path).GET());
  }

  public Answer post(String path, String body) {
    return join(postAsync(path, body));
  }

  public CompletableFuture<Answer> postAsync(String path, String body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Answer task(String body) {
    return post("/task", body);
  }

  public CompletableFuture<Answer> taskAsync(String body) {
    return postAsync("/task", body);
  }

  public Answer delete(String path) {
    return join(send(request(path).DELETE()));
  }

  public Answer method(String method, String path) {
    return join(send(request(path).method(method, HttpRequest.BodyPublishers.noBody())));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
  }

  private CompletableFuture<Answer> send(HttpRequest.Builder request) {
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              try {
                JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
                return new Answer(response.statusCode(), body, response);
              } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + response.body(), e);
              }
            });
  }

  private static Answer join(CompletableFuture<Answer> answer) {
    return answer.join();
  }
}
