package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The part of the Flow API a task may call: its own run's state, with the run-scoped token from the
 * request ({@code flow.api}, {@code flow.token}). Failures are {@link TaskFailure}s of type {@value
 * #FAILURE_TYPE}: retryable when the API could not be reached or answered 408, 429 or 5xx.
 */
public final class RunApi {

  public static final String FAILURE_TYPE = "flow_api";

  /** The JDK client all tasks share unless the server is given one; made on first use. */
  private static final class DefaultClient {
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  static final Supplier<HttpClient> DEFAULT_CLIENT = () -> DefaultClient.INSTANCE;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final String workflowId;
  private final FlowAccess flow;
  private final Supplier<HttpClient> http;
  private final Duration timeout;

  RunApi(String workflowId, FlowAccess flow, Supplier<HttpClient> http, Duration timeout) {
    this.workflowId = workflowId;
    this.flow = flow;
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * Adds {@code by} to the number at state {@code key} of the task's run ({@code POST
   * {api}/workflows/{workflowId}/state/{key}/increment} with {@code {"by": by}}).
   *
   * @return the new value, as the API answers it
   */
  public JsonNode increment(String key, long by) throws InterruptedException {
    return increment(key, JsonNodeFactory.instance.numberNode(by));
  }

  /** As {@link #increment(String, long)}, by a decimal. */
  public JsonNode increment(String key, BigDecimal by) throws InterruptedException {
    return increment(key, JsonNodeFactory.instance.numberNode(by));
  }

  private JsonNode increment(String key, JsonNode by) throws InterruptedException {
    if (key == null || key.isEmpty()) {
      throw TaskFailure.badInput("key", "required");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode().set("by", by);
    JsonNode answer =
        post("workflows/" + segment(run()) + "/state/" + segment(key) + "/increment", body);
    return answer.has("value") ? answer.get("value") : answer;
  }

  private String run() {
    if (workflowId == null) {
      throw TaskFailure.permanent(
          FAILURE_TYPE, "workflowId: required to use a run's state (this job belongs to no run)");
    }
    return workflowId;
  }

  private JsonNode post(String path, JsonNode body) throws InterruptedException {
    String api =
        flow.apiUrl()
            .orElseThrow(
                () ->
                    TaskFailure.permanent(
                        FAILURE_TYPE, "flow.api: not given (in the request or FLOW_API)"));
    String token =
        flow.bearerToken()
            .orElseThrow(
                () ->
                    TaskFailure.permanent(
                        FAILURE_TYPE, "flow.token: not given (in the request or FLOW_TOKEN)"));
    URI uri = URI.create(api.endsWith("/") ? api + path : api + "/" + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    flow.traceContext().ifPresent(traceparent -> request.header("traceparent", traceparent));
    HttpResponse<byte[]> response;
    try {
      response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TaskFailure(
          FAILURE_TYPE, "POST " + uri + ": cannot reach the API: " + describe(e), true, e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return read(response.body());
    }
    boolean retryable = status >= 500 || status == 408 || status == 429;
    throw new TaskFailure(
        FAILURE_TYPE,
        "POST " + uri + ": HTTP " + status + ": " + errorMessage(response.body()),
        retryable);
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(byte[] body) {
    try {
      return body.length == 0 ? JsonNodeFactory.instance.nullNode() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw TaskFailure.retryable(
          FAILURE_TYPE, "unreadable answer from the API: " + e.getMessage());
    }
  }

  /** The {@code error.message} of an API error body, or the body itself, cut short. */
  private static String errorMessage(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      JsonNode message = Json.MAPPER.readTree(body).path("error").path("message");
      if (message.isTextual()) {
        return message.textValue();
      }
    } catch (IOException e) {
      // not JSON: use the text
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private static String describe(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
