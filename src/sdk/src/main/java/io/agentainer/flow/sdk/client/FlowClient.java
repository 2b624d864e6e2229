package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of the Agentainer Flow REST API. Thread safe; build one per server and share it.
 *
 * <pre>{@code
 * FlowClient client = FlowClient.builder().baseUrl("http://localhost:8081/api").token(t).build();
 * ServerHealth health = client.health();
 * }</pre>
 */
public final class FlowClient {

  /** The default API address: the server's default port. */
  public static final String DEFAULT_BASE_URL = "http://localhost:8081/api";

  private final URI baseUrl;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json;

  private FlowClient(Builder builder) {
    String base = builder.baseUrl.endsWith("/") ? builder.baseUrl : builder.baseUrl + "/";
    this.baseUrl = URI.create(base);
    this.token = builder.token;
    this.timeout = builder.timeout;
    this.http = HttpClient.newBuilder().connectTimeout(builder.timeout).build();
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API address this client talks to, ending with a slash. */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The server's health. Answers whether the server is up or down (a {@code 503} with a health body
   * is a health report, not an error).
   */
  public ServerHealth health() {
    HttpResponse<String> response = send(request("health").GET().build());
    if (response.statusCode() != 200 && response.statusCode() != 503) {
      throw error(response);
    }
    return read(response.body(), ServerHealth.class);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(baseUrl.resolve(path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new FlowClientException("cannot reach " + request.uri() + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowClientException("interrupted while calling " + request.uri(), e);
    }
  }

  /** Why a call failed, in words: "connection refused", not "java.net.ConnectException". */
  static String reason(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused (is the server running?)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    if (e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
      return "unknown host";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private <T> T read(String body, Class<T> type) {
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new FlowClientException("unreadable answer from the server: " + e.getMessage(), e);
    }
  }

  private FlowClientException error(HttpResponse<String> response) {
    String code = "http_" + response.statusCode();
    String message = response.body();
    try {
      JsonNode error = json.readTree(response.body()).path("error");
      if (error.hasNonNull("code")) {
        code = error.get("code").asText();
      }
      if (error.hasNonNull("message")) {
        message = error.get("message").asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body as the message
    }
    return new FlowClientException(response.statusCode(), code, message);
  }

  /** Options of a {@link FlowClient}. */
  public static final class Builder {
    private String baseUrl = DEFAULT_BASE_URL;
    private String token;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The API address, e.g. {@code http://localhost:8081/api}. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The bearer token sent with every call but health. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The time limit of one call, and of connecting. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Settings from the environment: {@code FLOW_API} (address), {@code FLOW_TOKEN} (token), else
     * the token file the server writes on first start ({@code ~/.agentainer/admin-token}).
     */
    public Builder fromEnvironment() {
      Optional.ofNullable(System.getenv("FLOW_API"))
          .filter(s -> !s.isBlank())
          .ifPresent(this::baseUrl);
      String envToken = System.getenv("FLOW_TOKEN");
      if (envToken != null && !envToken.isBlank()) {
        token = envToken.trim();
      } else {
        TokenFile.read(TokenFile.defaultPath()).ifPresent(t -> token = t);
      }
      return this;
    }

    public FlowClient build() {
      return new FlowClient(this);
    }
  }

  /** Where the server writes the admin token it generates, and where clients read it. */
  public static final class TokenFile {
    private TokenFile() {}

    /** {@code FLOW_TOKEN_FILE}, else {@code ~/.agentainer/admin-token}. */
    public static Path defaultPath() {
      String configured = System.getenv("FLOW_TOKEN_FILE");
      if (configured != null && !configured.isBlank()) {
        return Path.of(configured);
      }
      return Path.of(System.getProperty("user.home"), ".agentainer", "admin-token");
    }

    public static Optional<String> read(Path path) {
      try {
        return Files.isReadable(path)
            ? Optional.of(Files.readString(path).trim()).filter(s -> !s.isEmpty())
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }
}
