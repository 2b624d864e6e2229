package io.agentainer.flow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.client.FlowClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The calls of one run's state ({@code /api/workflows/{id}/state}, see the SDK's {@code STATE.md})
 * over the JDK's HTTP client, with the address and token the SDK's client uses: that client has no
 * state calls yet. Errors are {@link FlowClientException}s, as the client's are, so commands report
 * them the same way: the server's message, exit code 1.
 */
final class StateApi {

  /** The time limit of connecting, and of a call's answer (an export's body may take longer). */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The most of an error answer read: enough for any message, not a whole export. */
  private static final int ERROR_BODY_LIMIT = 64 * 1024;

  /** The paths under {@code /state} that are not keys. */
  private static final Set<String> OWN_PATHS = Set.of("history", "export", "stats");

  private final HttpClient http;
  private final String state;
  private final String token;

  /**
   * @param api the API address, ending with a slash, as {@code FlowClient.baseUrl()} gives it
   * @param token the bearer token; null or blank for none
   * @param runId the run whose state this reaches
   * @throws IllegalArgumentException for an empty run id
   */
  StateApi(URI api, String token, String runId) {
    this.state = api + "workflows/" + segment(runId, "WORKFLOW_ID") + "/state";
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** Every key and its value, now or as it was {@code at}: {@code GET /state[?at=]}. */
  JsonNode snapshot(Instant at) {
    return object(URI.create(state + query("at", at)));
  }

  /**
   * One key, now or {@code at}: {@code GET /state/{key}[?at=]}, answered {@code {key, value}}. A
   * key named like one of the state's own paths ({@code history}, {@code export}, {@code stats}) is
   * taken from the snapshot instead, as that path answers something else.
   *
   * @throws FlowClientException with status 404 when the key or the run is absent
   */
  JsonNode entry(String key, Instant at) {
    String path = segment(key, "KEY");
    if (!OWN_PATHS.contains(key)) {
      return object(URI.create(state + "/" + path + query("at", at)));
    }
    JsonNode snapshot = snapshot(at);
    if (!snapshot.has(key)) {
      throw new FlowClientException(404, "not_found", "no key " + key);
    }
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("key", key);
    entry.set("value", snapshot.get(key));
    return entry;
  }

  /**
   * A page of changes, oldest first: {@code GET /state/history?key=&from=&to=&page=&size=},
   * answered {@code {items, total, page, size}}.
   *
   * @param key only this key's changes; null for every key
   * @param page from 0
   */
  JsonNode history(String key, Instant from, Instant to, int page, int size) {
    String query = query("key", key, "from", from, "to", to, "page", page, "size", size);
    return object(URI.create(state + "/history" + query));
  }

  /** The run's state size: {@code GET /state/stats}, answered {@code {keys, bytes, ...}}. */
  JsonNode stats() {
    return object(URI.create(state + "/stats"));
  }

  /**
   * Streams {@code GET /state/export} into {@code file}, replacing what it holds, without holding
   * the export in memory.
   *
   * @return the bytes written
   * @throws FlowClientException for an error answer (the file is then left untouched), no answer,
   *     or a transfer that broke off
   */
  long export(Path file) {
    URI uri = URI.create(state + "/export");
    HttpResponse<InputStream> response = send(uri, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        String text = new String(body.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        throw error(response.statusCode(), text, uri);
      }
      return Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FlowClientException("cannot export " + uri + " to " + file + ": " + reason(e), e);
    }
  }

  private JsonNode object(URI uri) {
    HttpResponse<String> response =
        send(uri, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw error(response.statusCode(), response.body(), uri);
    }
    JsonNode answer;
    try {
      answer = Json.readExact(response.body());
    } catch (JsonProcessingException e) {
      throw unreadable(response.statusCode(), uri, e.getOriginalMessage(), e);
    }
    if (answer == null || !answer.isObject()) {
      throw unreadable(response.statusCode(), uri, "not a JSON object", null);
    }
    return answer;
  }

  private <T> HttpResponse<T> send(URI uri, HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET();
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), handler);
    } catch (IOException e) {
      throw new FlowClientException("cannot reach " + uri + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowClientException("interrupted while calling " + uri, e);
    }
  }

  /** The server's error, {@code {"error": {code, message, details}}}, or the raw answer. */
  static FlowClientException error(int status, String body, URI uri) {
    String code = "http_" + status;
    String message = body;
    try {
      JsonNode error = Json.read(body).path("error");
      if (error.hasNonNull("code")) {
        code = error.get("code").asText();
      }
      if (error.hasNonNull("message")) {
        message = error.get("message").asText();
      }
    } catch (JsonProcessingException | RuntimeException notJson) {
      // keep the raw answer as the message
    }
    if (message == null || message.isBlank()) {
      message = "HTTP " + status + " from " + uri;
    }
    return new FlowClientException(status, code, message.strip());
  }

  private static FlowClientException unreadable(
      int status, URI uri, String reason, Exception cause) {
    return new FlowClientException(
        status, "bad_response", "unreadable answer from " + uri + ": " + reason, cause);
  }

  /** Why a call failed, in words: "connection refused", not "java.net.ConnectException". */
  static String reason(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused (is the server running?)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * A path segment, percent-encoded ({@code %20} for a space, {@code %2F} for a slash); {@code .}
   * and {@code ..} are encoded too, so they stay a key instead of moving along the path.
   *
   * @throws IllegalArgumentException for an empty value, naming it
   */
  static String segment(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }

  /** A query string from name, value pairs, in order; null values are left out. */
  private static String query(Object... pairs) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        parts.add(
            pairs[i] + "=" + URLEncoder.encode(pairs[i + 1].toString(), StandardCharsets.UTF_8));
      }
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }
}
