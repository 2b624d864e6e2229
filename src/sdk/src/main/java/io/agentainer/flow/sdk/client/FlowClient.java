package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A client of the Agentainer Flow REST API. Thread safe; build one per server and share it.
 *
 * <pre>{@code
 * FlowClient client = FlowClient.builder().baseUrl("http://localhost:8081/api").token(t).build();
 * JobRef ref = client.submitJob(JobRequest.builder("agentainer/example-agent:latest")
 *     .handler("echo").input(Map.of("text", "hi")).build());
 * Job done = client.awaitJob(ref.id(), Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Every call is synchronous and bounded by the builder's {@link Builder#timeout(Duration)}. An
 * error answer ({@code {"error": {code, message, details}}}) or no answer at all becomes a {@link
 * FlowClientException}; fields of a response this client does not know are ignored.
 */
public final class FlowClient {

  /** The default API address: the server's default port. */
  public static final String DEFAULT_BASE_URL = "http://localhost:8081/api";

  /** The first pause of {@link #awaitJob}; each next one is 1.5 times longer, up to the most. */
  static final Duration FIRST_POLL_DELAY = Duration.ofMillis(100);

  /** The longest pause of {@link #awaitJob} between two looks at the job. */
  static final Duration MAX_POLL_DELAY = Duration.ofSeconds(2);

  private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

  private final URI baseUrl;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json;
  private final JavaType pageOfJobs;
  private final Clock clock;
  private final Sleeper sleeper;

  private FlowClient(Builder builder) {
    String base = builder.baseUrl.endsWith("/") ? builder.baseUrl : builder.baseUrl + "/";
    this.baseUrl = URI.create(base);
    this.token = builder.token;
    this.timeout = builder.timeout;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.http = HttpClient.newBuilder().connectTimeout(builder.timeout).build();
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    this.pageOfJobs = json.getTypeFactory().constructParametricType(Page.class, Job.class);
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
    return read(response, ServerHealth.class);
  }

  /**
   * Starts a job outside any workflow: {@code POST /api/jobs}. The job is queued; follow it with
   * {@link #job(String)} or {@link #awaitJob(String, Duration)}.
   *
   * @throws FlowClientException for a refused request (a 400 names the field at fault)
   */
  public JobRef submitJob(JobRequest request) {
    Objects.requireNonNull(request, "request");
    return read(expectSuccess(send(post("jobs", request))), JobRef.class);
  }

  /**
   * One job: {@code GET /api/jobs/{id}}.
   *
   * @throws FlowClientException with status 404 when there is no such job
   */
  public Job job(String id) {
    return read(expectSuccess(send(request(jobPath(id)).GET().build())), Job.class);
  }

  /** The longest a single call of {@link #awaitJob} asks the server to hold the answer. */
  static final Duration LONGEST_SERVER_WAIT = Duration.ofSeconds(30);

  /**
   * A job, once it has ended or {@code wait} is over: {@code GET /api/jobs/{id}?wait=...}. The
   * server holds the answer instead of the client polling.
   */
  Job job(String id, Duration wait) {
    if (wait.isZero()) {
      return job(id);
    }
    HttpRequest request =
        request(jobPath(id) + "?wait=" + wait).timeout(timeout.plus(wait)).GET().build();
    return read(expectSuccess(send(request)), Job.class);
  }

  /**
   * Jobs newest first, filtered by workflow and status: {@code GET /api/jobs}.
   *
   * @param filter which jobs and which page; {@link JobFilter#all()} for the first page of all
   */
  public Page<Job> jobs(JobFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Query query = new Query();
    query.add("workflowId", filter.workflowId());
    filter.statuses().forEach(status -> query.add("status", status));
    query.add("page", filter.page());
    query.add("size", filter.size());
    return readPage(send(request("jobs" + query).GET().build()));
  }

  /**
   * The jobs of one workflow run, ordered by step, then task, then attempt: {@code GET
   * /api/workflows/{id}/jobs}.
   *
   * @param statuses only jobs in these statuses; null or empty for all
   * @param page from 0
   * @param size from 1
   */
  public Page<Job> workflowJobs(String workflowId, Set<String> statuses, int page, int size) {
    Query query = new Query();
    if (statuses != null) {
      statuses.forEach(status -> query.add("status", status));
    }
    query.add("page", page);
    query.add("size", size);
    String path = "workflows/" + segment(workflowId, "workflowId") + "/jobs" + query;
    return readPage(send(request(path).GET().build()));
  }

  /**
   * Cancels a job: {@code POST /api/jobs/{id}/cancel}. A running job's agent is asked to stop.
   *
   * @return the job as the server left it
   * @throws FlowClientException with status 409 when the job had already finished
   */
  public Job cancelJob(String id) {
    HttpRequest request =
        request(jobPath(id) + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build();
    return read(expectSuccess(send(request)), Job.class);
  }

  /** What the job's agent wrote to stdout and stderr: {@code GET /api/jobs/{id}/logs}. */
  public String jobLogs(String id) {
    HttpRequest request =
        request(jobPath(id) + "/logs")
            .setHeader("Accept", "text/plain, application/json")
            .GET()
            .build();
    return expectSuccess(send(request)).body();
  }

  /**
   * Waits until a job reaches a final status ({@code SUCCEEDED}, {@code FAILED} or {@code
   * CANCELLED}) and returns it.
   *
   * <p>This asks {@code GET /api/jobs/{id}?wait=...}, which the server answers when the job ends
   * (or after at most 30 s, then it asks again). When the answer comes back early without the job
   * having ended (another node ran it), it pauses before asking again: 100 ms, each pause 1.5 times
   * the last, up to 2 s, and never past the deadline. It blocks the calling thread, which suits
   * scripts and command lines; a program that follows many jobs should not spend a thread on each.
   * While waiting, an unreachable server or a 502/503/504 counts as "not finished yet"; any other
   * error ends the wait at once.
   *
   * @param timeout how long to wait at most; zero looks once
   * @throws FlowClientException with code {@code timeout} when the job is still going at the
   *     deadline, or the server's error (a 404 when there is no such job)
   */
  public Job awaitJob(String id, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    Instant deadline = clock.instant().plus(timeout);
    Duration delay = FIRST_POLL_DELAY;
    Job last = null;
    FlowClientException lastError = null;
    while (true) {
      Duration wait = Duration.between(clock.instant(), deadline);
      wait =
          wait.isNegative()
              ? Duration.ZERO
              : min(wait, LONGEST_SERVER_WAIT).truncatedTo(ChronoUnit.MILLIS);
      Instant asked = clock.instant();
      try {
        last = job(id, wait);
        lastError = null;
        if (last.finished()) {
          return last;
        }
      } catch (FlowClientException e) {
        if (!worthWaitingOn(e)) {
          throw e;
        }
        lastError = e;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isZero() || left.isNegative()) {
        String state =
            lastError != null
                ? "could not be seen (" + lastError.getMessage() + ")"
                : "is still " + last.status();
        throw new FlowClientException(
            0, "timeout", "job " + id + " " + state + " after " + timeout, lastError);
      }
      if (lastError == null && Duration.between(asked, clock.instant()).compareTo(wait) >= 0) {
        continue; // the server held the answer for the whole wait: ask again at once
      }
      pause(left.compareTo(delay) < 0 ? left : delay);
      delay = min(Duration.ofMillis(delay.toMillis() * 3 / 2), MAX_POLL_DELAY);
    }
  }

  private static boolean worthWaitingOn(FlowClientException e) {
    return e.status() == 0 || e.status() == 502 || e.status() == 503 || e.status() == 504;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void pause(Duration duration) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowClientException("interrupted while waiting for a job", e);
    }
  }

  private static String jobPath(String id) {
    return "jobs/" + segment(id, "id");
  }

  /** A path segment, percent-encoded (never {@code +} for a space). */
  private static String segment(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
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

  private HttpRequest post(String path, Object body) {
    String text;
    try {
      text = json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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

  private HttpResponse<String> expectSuccess(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw error(response);
    }
    return response;
  }

  private Page<Job> readPage(HttpResponse<String> response) {
    expectSuccess(response);
    try {
      return json.readValue(response.body(), pageOfJobs);
    } catch (IOException e) {
      throw unreadable(response, e);
    }
  }

  private <T> T read(HttpResponse<String> response, Class<T> type) {
    try {
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw unreadable(response, e);
    }
  }

  private static FlowClientException unreadable(HttpResponse<String> response, IOException e) {
    String reason =
        e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    return new FlowClientException(
        response.statusCode(),
        "bad_response",
        "unreadable answer from " + response.uri() + ": " + reason,
        e);
  }

  private FlowClientException error(HttpResponse<String> response) {
    String code = "http_" + response.statusCode();
    String message = response.body();
    Map<String, Object> details = Map.of();
    try {
      JsonNode error = json.readTree(response.body()).path("error");
      if (error.hasNonNull("code")) {
        code = error.get("code").asText();
      }
      if (error.hasNonNull("message")) {
        message = error.get("message").asText();
      }
      if (error.path("details").isObject()) {
        details = json.convertValue(error.get("details"), DETAILS);
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body as the message
    }
    if (message == null || message.isBlank()) {
      message = "HTTP " + response.statusCode() + " from " + response.uri();
    }
    return new FlowClientException(response.statusCode(), code, message, details);
  }

  /** A query string, built in the order parameters are added; absent values are left out. */
  private static final class Query {
    private final List<String> pairs = new ArrayList<>();

    void add(String name, Object value) {
      if (value != null && !value.toString().isBlank()) {
        pairs.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
      }
    }

    @Override
    public String toString() {
      return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }
  }

  /** How {@link #awaitJob} pauses; replaced in tests so they need not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Options of a {@link FlowClient}. */
  public static final class Builder {
    private String baseUrl = DEFAULT_BASE_URL;
    private String token;
    private Duration timeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());

    private Builder() {}

    /** The API address, e.g. {@code http://localhost:8081/api}. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The bearer token sent with every call. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The time limit of one call, and of connecting. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The clock {@link #awaitJob} measures its deadline with. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How {@link #awaitJob} pauses between two looks. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
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
