package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny JDK HTTP server standing in for Flow's API: it records each request and keeps one run's
 * state and the jobs' checkpoints in memory, answering as {@code STATE.md} says (idempotency keys
 * included). A test can make it answer every request with a status and body, fail the next requests
 * (or drop their connections), or hold its answers.
 */
public final class StandInApi implements AutoCloseable {

  /** One request the API received. */
  public record Call(
      String method,
      String path,
      String authorization,
      String traceparent,
      String idempotencyKey,
      String body) {}

  private record Failure(int status, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicLong value = new AtomicLong();
  private final Map<String, JsonNode> state = new LinkedHashMap<>();
  private final Map<String, JsonNode> checkpoints = new HashMap<>();
  private final Map<String, String> answered = new HashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private volatile int status = 200;
  private volatile String errorBody;
  private volatile CountDownLatch hold;

  public StandInApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor); // held answers must not block other requests
    server.start();
  }

  /** The API's base address, as an agent gets it in {@code flow.api}. */
  public String api() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  public List<Call> calls() {
    return calls;
  }

  /** The sum of the increments that were made (not those an idempotency key repeated). */
  public long value() {
    return value.get();
  }

  /** The state as it is now. */
  public synchronized Map<String, JsonNode> state() {
    return new LinkedHashMap<>(state);
  }

  /** The last checkpoint saved for a job, or null. */
  public synchronized JsonNode checkpoint(String jobId) {
    return checkpoints.get(jobId);
  }

  /** Answers every request with this status and body from now on (200 goes back to the state). */
  public void answer(int status, String body) {
    this.status = status;
    this.errorBody = body;
  }

  /**
   * Answers the next {@code times} requests with this status and body, without changing anything;
   * status 0 closes their connections without an answer.
   */
  public synchronized void failNext(int times, int status, String body) {
    for (int i = 0; i < times; i++) {
      failures.add(new Failure(status, body));
    }
  }

  /** Holds every answer from now on until {@link #releaseAnswers()}. */
  public void holdAnswers() {
    hold = new CountDownLatch(1);
  }

  public void releaseAnswers() {
    CountDownLatch held = hold;
    hold = null;
    if (held != null) {
      held.countDown();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      calls.add(
          new Call(
              method,
              path,
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("traceparent"),
              idempotencyKey,
              body));
      CountDownLatch held = hold;
      if (held != null) {
        held.await(30, TimeUnit.SECONDS);
      }
      Failure failure;
      synchronized (this) {
        failure = failures.poll();
      }
      if (failure == null && status != 200) {
        failure = new Failure(status, errorBody);
      }
      if (failure != null && failure.status() == 0) {
        return; // closes the connection without an answer
      }
      Failure answer = failure != null ? failure : answer(method, path, idempotencyKey, body);
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the API answers, as {@code STATE.md} describes it. */
  private synchronized Failure answer(String method, String path, String idempotency, String text)
      throws IOException {
    String[] parts = path.split("/");
    // /api/jobs/{job}/checkpoint
    if (parts.length == 5 && parts[2].equals("jobs") && parts[4].equals("checkpoint")) {
      String job = decode(parts[3]);
      if (method.equals("PUT")) {
        checkpoints.put(job, JSON.readTree(text).path("value"));
      }
      ObjectNode answer = NODES.objectNode();
      answer.set("value", checkpoints.getOrDefault(job, NODES.nullNode()));
      return ok(answer);
    }
    // /api/workflows/{run}/state[/{key}[/{operation}]]
    if (parts.length < 5 || !parts[2].equals("workflows") || !parts[4].equals("state")) {
      return error(404, "not_found", "path: " + path);
    }
    if (parts.length == 5) {
      ObjectNode all = NODES.objectNode();
      state.forEach(all::set);
      return ok(all);
    }
    String key = decode(parts[5]);
    String operation = parts.length > 6 ? parts[6] : method;
    if (idempotency != null && answered.containsKey(idempotency)) {
      return operation.equals("increment")
          ? ok(NODES.objectNode().set("value", state.get(key)))
          : new Failure(200, answered.get(idempotency));
    }
    JsonNode body = text.isEmpty() ? NODES.objectNode() : JSON.readTree(text);
    JsonNode current = state.get(key);
    ObjectNode answer = NODES.objectNode();
    switch (operation) {
      case "GET" -> {
        if (current == null) {
          return error(404, "not_found", "state key " + key + " not found");
        }
        answer.put("key", key).set("value", current);
      }
      case "PUT" -> {
        state.put(key, body.path("value"));
        answer.put("key", key).set("value", body.path("value"));
      }
      case "DELETE" -> answer.put("deleted", state.remove(key) != null);
      case "increment" -> {
        JsonNode by = body.path("by");
        if (!by.isNumber()) {
          return error(400, "invalid_request", "by: must be a number");
        }
        if (current != null && !current.isNumber()) {
          return error(409, "state_type_mismatch", key + ": holds no number");
        }
        JsonNode sum =
            (current == null || current.isIntegralNumber()) && by.isIntegralNumber()
                ? NODES.numberNode((current == null ? 0 : current.longValue()) + by.longValue())
                : NODES.numberNode(
                    (current == null ? java.math.BigDecimal.ZERO : current.decimalValue())
                        .add(by.decimalValue()));
        state.put(key, sum);
        value.addAndGet(by.asLong());
        answer.set("value", sum);
      }
      case "append", "add-to-set" -> {
        if (current != null && !current.isArray()) {
          return error(409, "state_type_mismatch", key + ": holds no list");
        }
        ArrayNode list = current == null ? NODES.arrayNode() : (ArrayNode) current;
        boolean add = operation.equals("append") || !contains(list, body.path("value"));
        if (add) {
          list.add(body.path("value"));
        }
        state.put(key, list);
        answer.put(operation.equals("append") ? "appended" : "added", add);
      }
      case "compare-and-swap" -> {
        JsonNode expected = body.path("expected");
        boolean swap = expected.isNull() ? current == null : expected.equals(current);
        if (swap) {
          state.put(key, body.path("value"));
        }
        answer.put("swapped", swap).set("value", state.get(key));
      }
      default -> {
        return error(400, "invalid_request", "operation: unknown '" + operation + "'");
      }
    }
    if (idempotency != null) {
      answered.put(idempotency, answer.toString());
    }
    return ok(answer);
  }

  private static boolean contains(ArrayNode list, JsonNode element) {
    for (JsonNode item : list) {
      if (item.equals(element)) {
        return true;
      }
    }
    return false;
  }

  private static Failure ok(JsonNode body) {
    return new Failure(200, body.toString());
  }

  private static Failure error(int status, String code, String message) {
    ObjectNode body = NODES.objectNode();
    body.putObject("error").put("code", code).put("message", message);
    return new Failure(status, body.toString());
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    releaseAnswers();
    server.stop(0);
    executor.shutdownNow();
  }
}
