package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny JDK HTTP server standing in for Flow's API: it records each request and answers state
 * increments with a running total, or with a status and body set by the test.
 */
public final class StandInApi implements AutoCloseable {

  /** One request the API received. */
  public record Call(
      String method, String path, String authorization, String traceparent, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicLong value = new AtomicLong();
  private volatile int status = 200;
  private volatile String errorBody;

  public StandInApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          calls.add(
              new Call(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getRawPath(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("traceparent"),
                  body));
          String answer;
          if (status == 200) {
            long by = JSON.readTree(body).path("by").asLong();
            answer = "{\"value\":" + value.addAndGet(by) + "}";
          } else {
            answer = errorBody;
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /** The API's base address, as an agent gets it in {@code flow.api}. */
  public String api() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  public List<Call> calls() {
    return calls;
  }

  public long value() {
    return value.get();
  }

  /** Answers every request with this status and body from now on. */
  public void answer(int status, String body) {
    this.status = status;
    this.errorBody = body;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
