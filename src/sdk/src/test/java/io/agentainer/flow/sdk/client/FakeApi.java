package io.agentainer.flow.sdk.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the API on a loopback port: answers canned responses per method and path, and
 * records every request it gets. Responses queued for one route are used in order; the last one
 * repeats. A route without responses answers 404 with an API error body. A server-sent event stream
 * either ends (the server closes the connection) or stays open until the fake is closed.
 */
final class FakeApi implements AutoCloseable {

  static {
    // the JDK server otherwise delays each response by ~40 ms (Nagle)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** A request as the server saw it; the query is decoded into repeated parameters. */
  record Request(
      String method, String path, String rawQuery, Map<String, List<String>> headers, String body) {

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    /** Every value of a query parameter, in order. */
    List<String> query(String name) {
      List<String> values = new ArrayList<>();
      if (rawQuery == null) {
        return values;
      }
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        if (key.equals(name)) {
          values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return values;
    }
  }

  private record Response(
      int status, String contentType, String body, boolean hold, CountDownLatch release) {
    Response(int status, String contentType, String body) {
      this(status, contentType, body, false, null);
    }

    Response(int status, String contentType, String body, boolean hold) {
      this(status, contentType, body, hold, null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, Deque<Response>> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    // held event streams must not block other requests
    server.setExecutor(executor);
    server.start();
  }

  /** The API address to give a client: {@code http://127.0.0.1:<port>/api}. */
  String api() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  /** Queues a JSON answer for {@code method path} (the raw path, e.g. {@code /api/jobs/a%20b}). */
  FakeApi json(String method, String path, int status, String body) {
    return answer(method, path, new Response(status, "application/json", body));
  }

  /** Queues a JSON answer that is sent only once {@code release} is counted down. */
  FakeApi jsonOnRelease(
      String method, String path, int status, String body, CountDownLatch release) {
    return answer(method, path, new Response(status, "application/json", body, false, release));
  }

  /** Queues a plain text answer. */
  FakeApi text(String method, String path, int status, String body) {
    return answer(method, path, new Response(status, "text/plain; charset=utf-8", body));
  }

  /**
   * Queues a {@code text/event-stream} answer that sends {@code events} (raw SSE text) and then
   * closes the connection, as a dropped connection or a restarting server does.
   */
  FakeApi streamThenClose(String path, String events) {
    return answer("GET", path, new Response(200, "text/event-stream", events, false));
  }

  /** Queues a {@code text/event-stream} answer that sends {@code events} and stays open. */
  FakeApi streamThenHold(String path, String events) {
    return answer("GET", path, new Response(200, "text/event-stream", events, true));
  }

  private FakeApi answer(String method, String path, Response response) {
    routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(response);
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request last() {
    if (requests.isEmpty()) {
      throw new AssertionError("the fake API got no request");
    }
    return requests.get(requests.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      requests.add(
          new Request(
              method,
              path,
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body));
      Response response = next(method + " " + path);
      if (response.release() != null) {
        await(response.release());
      }
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      if (response.contentType().equals("text/event-stream")) {
        exchange.sendResponseHeaders(response.status(), 0); // chunked, no length
        exchange.getResponseBody().write(bytes);
        exchange.getResponseBody().flush();
        if (response.hold()) {
          awaitClosing();
        }
        return;
      }
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private Response next(String route) {
    Deque<Response> queue = routes.get(route);
    if (queue == null || queue.isEmpty()) {
      return new Response(
          404,
          "application/json",
          "{\"error\":{\"code\":\"not_found\",\"message\":\"no route " + route + "\"}}");
    }
    synchronized (queue) {
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }
  }

  private void awaitClosing() {
    await(closing);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
