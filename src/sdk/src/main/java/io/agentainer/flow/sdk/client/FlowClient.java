package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A client of the Agentainer Flow REST API. Thread safe; build one per server and share it.
 *
 * <pre>{@code
 * FlowClient client = FlowClient.builder().baseUrl("http://localhost:8081/api").token(t).build();
 * JobRef ref = client.submitJob(JobRequest.builder("agentainer/example-agent:latest")
 *     .handler("echo").input(Map.of("text", "hi")).build());
 * Job done = client.awaitJob(ref.id(), Duration.ofMinutes(1));
 *
 * DefinitionRef def = client.applyDefinition(Files.readString(Path.of("wordcount.yaml")), null);
 * RunRef run = client.startRun(def.name(), Map.of("docs", List.of("a b", "c")), null);
 * Run ended = client.awaitRun(run.id(), Duration.ofMinutes(10));
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
  private final JavaType pageOfRuns;
  private final JavaType pageOfDefinitions;
  private final JavaType pageOfVersions;
  private final JavaType pageOfStateChanges;
  private final JavaType pageOfPools;
  private final JavaType listOfEvents;
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
            // state values and outputs keep their decimals exact
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    this.pageOfJobs = json.getTypeFactory().constructParametricType(Page.class, Job.class);
    this.pageOfRuns = json.getTypeFactory().constructParametricType(Page.class, Run.class);
    this.pageOfDefinitions =
        json.getTypeFactory().constructParametricType(Page.class, DefinitionSummary.class);
    this.pageOfVersions =
        json.getTypeFactory().constructParametricType(Page.class, Definition.class);
    this.pageOfStateChanges =
        json.getTypeFactory().constructParametricType(Page.class, StateChange.class);
    this.pageOfPools = json.getTypeFactory().constructParametricType(Page.class, Pool.class);
    this.listOfEvents = json.getTypeFactory().constructCollectionType(List.class, FlowEvent.class);
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
    return readPage(send(request("jobs" + query).GET().build()), pageOfJobs);
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
    return readPage(send(request(path).GET().build()), pageOfJobs);
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
      pause(left.compareTo(delay) < 0 ? left : delay, "a job");
      delay = min(Duration.ofMillis(delay.toMillis() * 3 / 2), MAX_POLL_DELAY);
    }
  }

  // definitions

  /**
   * Registers a definition: {@code POST /api/definitions}. Registering the text of the latest
   * version again makes no new version ({@link DefinitionRef#created()} is then false).
   *
   * @param text the definition, JSON or YAML
   * @param format {@code json} or {@code yaml} ({@code yml}); null to tell from the text: JSON when
   *     its first character (blanks aside) is <code>{</code> or {@code [}, else YAML
   * @throws FlowClientException with code {@code invalid_definition} and {@link
   *     FlowClientException#problems()} when the definition is not valid
   * @throws IllegalArgumentException for a format other than json or yaml
   */
  public DefinitionRef applyDefinition(String text, String format) {
    HttpResponse<String> response = expectSuccess(send(postText("definitions", text, format)));
    JsonNode body = readTree(response);
    return new DefinitionRef(
        body.path("name").asText(null), body.path("version").asInt(), response.statusCode() == 201);
  }

  /**
   * Checks a definition without registering it: {@code POST /api/definitions/validate}.
   *
   * @param format as for {@link #applyDefinition(String, String)}
   * @return what is wrong with it; empty when it is valid
   * @throws FlowClientException for any other refusal (e.g. 401) or no answer
   */
  public List<Problem> validateDefinition(String text, String format) {
    HttpResponse<String> response = send(postText("definitions/validate", text, format));
    if (response.statusCode() / 100 == 2) {
      return List.of();
    }
    FlowClientException e = error(response);
    if (response.statusCode() != 400 || !"invalid_definition".equals(e.code())) {
      throw e;
    }
    return e.problems().isEmpty() ? List.of(new Problem(null, e.getMessage())) : e.problems();
  }

  /** Registered definitions with their latest version: {@code GET /api/definitions}. */
  public Page<DefinitionSummary> definitions(int page, int size) {
    return readPage(
        send(request("definitions" + pageQuery(page, size)).GET().build()), pageOfDefinitions);
  }

  /**
   * The latest version of a definition, with its spec: {@code GET /api/definitions/{name}}.
   *
   * @throws FlowClientException with status 404 when there is no such definition
   */
  public Definition definition(String name) {
    String path = "definitions/" + segment(name, "name");
    return read(expectSuccess(send(request(path).GET().build())), Definition.class);
  }

  /**
   * One version of a definition, with its spec: {@code GET /api/definitions/{name}/versions/{v}}.
   */
  public Definition definition(String name, int version) {
    String path = "definitions/" + segment(name, "name") + "/versions/" + version;
    return read(expectSuccess(send(request(path).GET().build())), Definition.class);
  }

  /**
   * The versions of a definition, oldest first, without their specs: {@code GET
   * /api/definitions/{name}/versions}.
   */
  public Page<Definition> definitionVersions(String name, int page, int size) {
    String path = "definitions/" + segment(name, "name") + "/versions" + pageQuery(page, size);
    return readPage(send(request(path).GET().build()), pageOfVersions);
  }

  // pools

  /**
   * Agent pools by name, without their agents: {@code GET /api/pools}.
   *
   * @param page from 0
   * @param size from 1
   */
  public Page<Pool> pools(int page, int size) {
    return readPage(send(request("pools" + pageQuery(page, size)).GET().build()), pageOfPools);
  }

  /**
   * One pool with its settings, metrics and agents: {@code GET /api/pools/{id}}.
   *
   * @param idOrName the pool's id or its name
   * @throws FlowClientException with status 404 when there is no such pool
   */
  public Pool pool(String idOrName) {
    return read(expectSuccess(send(request(poolPath(idOrName)).GET().build())), Pool.class);
  }

  /**
   * Changes a pool's settings: {@code PUT /api/pools/{id}} with the change's non-null fields.
   * Shrinking stops idle agents above the new {@code maxSize} now, busy ones when their task ends.
   *
   * @return the pool as the server left it
   * @throws FlowClientException with status 400 naming the field at fault (nothing changed), 404
   *     when there is no such pool
   */
  public Pool resizePool(String idOrName, PoolChange change) {
    Objects.requireNonNull(change, "change");
    return read(expectSuccess(send(put(poolPath(idOrName), change))), Pool.class);
  }

  /**
   * Starts agents until a pool holds {@code size}: {@code POST /api/pools/{id}/warm}.
   *
   * @param size how many agents the pool is to hold, never above its {@code maxSize}; null for the
   *     pool's {@code warmSize}
   * @throws FlowClientException with status 404 when there is no such pool
   */
  public PoolWarm warmPool(String idOrName, Integer size) {
    Map<String, Object> body = size == null ? Map.of() : Map.of("size", size);
    return read(expectSuccess(send(post(poolPath(idOrName) + "/warm", body))), PoolWarm.class);
  }

  /**
   * Retires every agent of a pool: {@code POST /api/pools/{id}/drain}. Idle agents stop at once,
   * busy ones when their task ends; the pool stays usable and starts new agents for new leases.
   *
   * @throws FlowClientException with status 404 when there is no such pool
   */
  public PoolDrain drainPool(String idOrName) {
    HttpRequest request =
        request(poolPath(idOrName) + "/drain").POST(HttpRequest.BodyPublishers.noBody()).build();
    return read(expectSuccess(send(request)), PoolDrain.class);
  }

  private static String poolPath(String idOrName) {
    return "pools/" + segment(idOrName, "idOrName");
  }

  // runs

  /**
   * Starts a run of the latest version of a definition: {@code POST /api/definitions/{name}/runs}.
   *
   * @param input the run's input: a {@link JsonNode} or anything Jackson writes as JSON (a map, a
   *     record); null sends none
   * @param idempotencyKey null for none; with one, starting again with the same key answers the run
   *     it started ({@link RunRef#created()} false) instead of starting another
   * @throws FlowClientException 404 for an unknown definition; 400 with code {@code invalid_input}
   *     and {@link FlowClientException#problems()} when the input does not fit its parameters
   */
  public RunRef startRun(String definition, Object input, String idempotencyKey) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (input != null) {
      body.put("input", input instanceof JsonNode node ? node : json.valueToTree(input));
    }
    if (idempotencyKey != null) {
      body.put("idempotencyKey", idempotencyKey);
    }
    String path = "definitions/" + segment(definition, "definition") + "/runs";
    HttpResponse<String> response = expectSuccess(send(post(path, body)));
    JsonNode answer = readTree(response);
    boolean created =
        answer.hasNonNull("created")
            ? answer.get("created").asBoolean()
            : response.statusCode() == 202;
    return new RunRef(
        answer.path("id").asText(null),
        answer.path("status").asText(null),
        answer.hasNonNull("queuePosition") ? answer.get("queuePosition").asLong() : null,
        created);
  }

  /**
   * One run with its steps, progress and ETA: {@code GET /api/workflows/{id}}.
   *
   * @throws FlowClientException 404 when there is no such run, 400 when the id is not a UUID
   */
  public Run run(String id) {
    return read(expectSuccess(send(request(runPath(id)).GET().build())), Run.class);
  }

  /**
   * Runs, newest first: {@code GET /api/workflows}. Rows carry no steps, input or output.
   *
   * @param definition only the runs of this definition; null for all
   * @param statuses only runs in these statuses ({@link Run#STATUSES}); null or empty for all
   * @param page from 0
   * @param size 1 to 500
   */
  public Page<Run> runs(String definition, Set<String> statuses, int page, int size) {
    return runs(definition, statuses, null, null, page, size);
  }

  /**
   * {@link #runs(String, Set, int, int)} of the runs created in {@code [from, to)}.
   *
   * @param from null for no lower bound
   * @param to null for no upper bound
   */
  public Page<Run> runs(
      String definition, Set<String> statuses, Instant from, Instant to, int page, int size) {
    Query query = new Query();
    query.add("definition", definition);
    if (statuses != null) {
      statuses.forEach(status -> query.add("status", status));
    }
    query.add("from", from);
    query.add("to", to);
    query.add("page", page);
    query.add("size", size);
    return readPage(send(request("workflows" + query).GET().build()), pageOfRuns);
  }

  /**
   * Runs started and finished per time bucket, by definition, and the latest failures, over {@code
   * [from, to)}: {@code GET /api/workflows/stats}.
   *
   * @param from null for 24 hours before {@code to}
   * @param to null for now
   * @param buckets 1 to 500
   * @throws FlowClientException with status 400 naming {@code from}, {@code to} or {@code buckets}
   */
  public RunStats runStats(Instant from, Instant to, int buckets) {
    Query query = new Query();
    query.add("from", from);
    query.add("to", to);
    query.add("buckets", buckets);
    return read(
        expectSuccess(send(request("workflows/stats" + query).GET().build())), RunStats.class);
  }

  /**
   * Cancels a run, its open steps and jobs: {@code POST /api/workflows/{id}/cancel}.
   *
   * @throws FlowClientException with status 409 when the run has already ended
   */
  public RunRef cancelRun(String id) {
    return runAction(id, "cancel");
  }

  /**
   * Runs a failed, cancelled or timed-out run again from the steps that did not succeed: {@code
   * POST /api/workflows/{id}/retry}.
   *
   * @throws FlowClientException with status 409 unless the run is FAILED, CANCELLED or TIMED_OUT
   */
  public RunRef retryRun(String id) {
    return runAction(id, "retry");
  }

  private RunRef runAction(String id, String action) {
    HttpRequest request =
        request(runPath(id) + "/" + action).POST(HttpRequest.BodyPublishers.noBody()).build();
    JsonNode answer = readTree(expectSuccess(send(request)));
    return new RunRef(
        answer.path("id").asText(null), answer.path("status").asText(null), null, false);
  }

  /**
   * Waits until a run ends ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED} or {@code
   * TIMED_OUT}) and returns it. See {@link #awaitRun(String, Duration, Consumer)}.
   */
  public Run awaitRun(String id, Duration timeout) {
    return awaitRun(id, timeout, run -> {});
  }

  /**
   * Waits until a run ends and returns it, telling {@code onLook} each time it looked.
   *
   * <p>This polls {@code GET /api/workflows/{id}}: at once, then after pauses of 100 ms, each 1.5
   * times the last, up to 2 s, never past the deadline. Polling was chosen over the event stream
   * because each look returns the whole run (progress, ETA, steps) that a waiting caller shows, and
   * because it needs no thread and no open connection. It blocks the calling thread. While waiting,
   * an unreachable server or a 502/503/504 counts as "not ended yet"; any other error ends the wait
   * at once. A run that is retried after this returns is not followed.
   *
   * @param timeout how long to wait at most; zero looks once
   * @param onLook gets the run after each successful look, the last one included (for showing
   *     progress); runs on the calling thread
   * @throws FlowClientException with code {@code timeout} when the run is still going at the
   *     deadline, or the server's error (404 when there is no such run)
   */
  public Run awaitRun(String id, Duration timeout, Consumer<Run> onLook) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onLook, "onLook");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    Instant deadline = clock.instant().plus(timeout);
    Duration delay = FIRST_POLL_DELAY;
    Run last = null;
    FlowClientException lastError = null;
    while (true) {
      try {
        last = run(id);
        lastError = null;
        onLook.accept(last);
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
            0, "timeout", "workflow " + id + " " + state + " after " + timeout, lastError);
      }
      pause(left.compareTo(delay) < 0 ? left : delay, "a workflow");
      delay = min(Duration.ofMillis(delay.toMillis() * 3 / 2), MAX_POLL_DELAY);
    }
  }

  // events

  /**
   * A run's recorded events, oldest first: {@code GET /api/workflows/{id}/events}.
   *
   * @param types only events of these types ({@code run.started}, {@code job.failed}...); null or
   *     empty for all
   * @param after only events with a greater id; 0 for the first
   * @param limit at most this many, 1 to 5000
   */
  public List<FlowEvent> events(String id, Set<String> types, long after, int limit) {
    Query query = new Query();
    if (types != null) {
      types.forEach(type -> query.add("type", type));
    }
    query.add("after", after);
    query.add("limit", limit);
    HttpResponse<String> response =
        expectSuccess(send(request(runPath(id) + "/events" + query).GET().build()));
    try {
      return json.convertValue(readTree(response).path("items"), listOfEvents);
    } catch (IllegalArgumentException e) {
      throw new FlowClientException(
          response.statusCode(),
          "bad_response",
          "unreadable answer from " + response.uri() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Follows a run's events as they happen: {@code GET /api/workflows/{id}/events/stream}. The
   * server sends the recorded events after {@code lastEventId} first, then new ones as they are
   * recorded. See {@link EventStream} for reconnection and how it ends. Nothing is checked before
   * returning: an unknown run ends the stream with a 404 {@link EventStream#failure()}.
   *
   * @param types only events of these types; null or empty for all
   * @param lastEventId start after this event; 0 for the whole history
   * @param onEvent gets each event, in order, on the stream's thread
   * @return the open stream; close it to stop
   */
  public EventStream streamEvents(
      String runId, Set<String> types, long lastEventId, Consumer<FlowEvent> onEvent) {
    return streamEvents(runId, types, lastEventId, onEvent, null);
  }

  /**
   * {@link #streamEvents(String, Set, long, Consumer)}, telling {@code onFailure} why the stream
   * ended when it ends by itself (not when it is closed).
   */
  public EventStream streamEvents(
      String runId,
      Set<String> types,
      long lastEventId,
      Consumer<FlowEvent> onEvent,
      Consumer<RuntimeException> onFailure) {
    return stream(
        "flow-events-" + runId,
        runPath(runId) + "/events/stream",
        types,
        lastEventId,
        onEvent,
        onFailure);
  }

  /**
   * Follows every run's events as they happen: {@code GET /api/events/stream} (admin token only).
   * The stream starts with the events recorded from now on ({@code lastEventId} 0), or after {@code
   * lastEventId}; after a dropped connection it resumes after the last event delivered (one that
   * drops before any event was delivered starts from its new connection's moment). See {@link
   * EventStream} for reconnection and how it ends.
   *
   * @param types only events of these types; null or empty for all
   * @param onEvent gets each event, in order, on the stream's thread
   * @param onFailure told why the stream ended by itself; may be null
   * @return the open stream; close it to stop
   */
  public EventStream streamAllEvents(
      Set<String> types,
      long lastEventId,
      Consumer<FlowEvent> onEvent,
      Consumer<RuntimeException> onFailure) {
    return stream("flow-events", "events/stream", types, lastEventId, onEvent, onFailure);
  }

  /** An event stream of {@code path} with the types asked for, on a thread named {@code name}. */
  private EventStream stream(
      String name,
      String path,
      Set<String> types,
      long lastEventId,
      Consumer<FlowEvent> onEvent,
      Consumer<RuntimeException> onFailure) {
    Objects.requireNonNull(onEvent, "onEvent");
    Query query = new Query();
    if (types != null) {
      types.forEach(type -> query.add("type", type));
    }
    String withQuery = path + query;
    return EventStream.start(
        name,
        after -> openEventStream(withQuery, after),
        json,
        Math.max(0, lastEventId),
        onEvent,
        onFailure,
        sleeper);
  }

  /** The lines of a 200 answer to {@code path}, or the error it answered. */
  private Stream<String> openEventStream(String path, long lastEventId) {
    // HTTP/1.1: a server that takes the HTTP/2 upgrade may hold a stream's last events back
    HttpRequest.Builder builder =
        request(path).version(HttpClient.Version.HTTP_1_1).setHeader("Accept", "text/event-stream");
    if (lastEventId > 0) {
      builder.header("Last-Event-ID", Long.toString(lastEventId));
    }
    HttpRequest request = builder.GET().build();
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new FlowClientException("cannot reach " + request.uri() + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowClientException("interrupted while calling " + request.uri(), e);
    }
    if (response.statusCode() == 200) {
      String type = response.headers().firstValue("Content-Type").orElse("text/event-stream");
      if (type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
        return response.body();
      }
      response.body().close();
      throw new FlowClientException(
          200,
          "bad_response",
          "expected an event stream from " + response.uri() + ", got " + type,
          Map.of());
    }
    String body;
    try (Stream<String> lines = response.body()) {
      body = lines.collect(Collectors.joining("\n"));
    } catch (UncheckedIOException e) {
      body = "";
    }
    throw error(response.statusCode(), body, response.uri());
  }

  // state

  /**
   * A run's state, every key with its value, as one consistent snapshot: {@code GET
   * /api/workflows/{id}/state}.
   *
   * @return the keys in the order the server sent them
   * @throws FlowClientException with status 404 when there is no such run
   */
  public Map<String, JsonNode> state(String runId) {
    return stateMap(request(statePath(runId)).GET().build());
  }

  /**
   * A run's state as it was at an instant, rebuilt from its history: {@code GET
   * /api/workflows/{id}/state?at=...}.
   */
  public Map<String, JsonNode> stateAt(String runId, Instant at) {
    Objects.requireNonNull(at, "at");
    Query query = new Query();
    query.add("at", at);
    return stateMap(request(statePath(runId) + query).GET().build());
  }

  /**
   * The value of one key of a run's state: {@code GET /api/workflows/{id}/state/{key}}.
   *
   * @return empty when the key is absent (an unknown run answers the same 404: {@link
   *     #state(String)} tells them apart); JSON {@code null} when the key holds {@code null}
   */
  public Optional<JsonNode> state(String runId, String key) {
    HttpResponse<String> response = send(request(stateKeyPath(runId, key)).GET().build());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(value(readTree(expectSuccess(response))));
  }

  /**
   * The changes of a run's state, in the order they happened: {@code GET
   * /api/workflows/{id}/state/history}.
   *
   * @param key only the changes of this key; null for all
   * @param from only changes made at or after this instant; null for no lower bound
   * @param to only changes made before this instant; null for no upper bound
   * @param page from 0
   * @param size from 1
   */
  public Page<StateChange> stateHistory(
      String runId, String key, Instant from, Instant to, int page, int size) {
    Query query = new Query();
    query.add("key", key);
    query.add("from", from);
    query.add("to", to);
    query.add("page", page);
    query.add("size", size);
    String path = statePath(runId) + "/history" + query;
    return readPage(send(request(path).GET().build()), pageOfStateChanges);
  }

  /**
   * Writes a run's state and its whole history to {@code file}: {@code GET
   * /api/workflows/{id}/state/export}, a JSON document {@code {workflowId, exportedAt, state,
   * history}}. The answer is streamed to a temporary file next to {@code file} that then replaces
   * it, so {@code file} never holds half an export.
   *
   * @return the number of bytes written
   * @throws FlowClientException the server's error (404 when there is no such run), or code {@code
   *     export_failed} when the answer could not be read to the end or the file not written
   */
  public long exportState(String runId, Path file) {
    Objects.requireNonNull(file, "file");
    HttpRequest request = request(statePath(runId) + "/export").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new FlowClientException("cannot reach " + request.uri() + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowClientException("interrupted while calling " + request.uri(), e);
    }
    Path target = file.toAbsolutePath();
    Path part = null;
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw error(
            response.statusCode(),
            new String(body.readAllBytes(), StandardCharsets.UTF_8),
            response.uri());
      }
      part = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
      long written = Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
      moveInPlace(part, target);
      return written;
    } catch (IOException e) {
      deleteQuietly(part);
      throw new FlowClientException(
          response.statusCode(),
          "export_failed",
          "cannot export the state of run " + runId + " to " + file + ": " + reason(e),
          e);
    }
  }

  /**
   * Sets a key of a run's state, as an operator: {@code PUT /api/workflows/{id}/state/{key}}.
   *
   * @param value a {@link JsonNode} or anything Jackson writes as JSON; null for JSON {@code null}
   * @return the value as the server stored it
   */
  public JsonNode putState(String runId, String key, Object value) {
    ObjectNode body = json.createObjectNode();
    body.set("value", value instanceof JsonNode node ? node : json.valueToTree(value));
    HttpRequest request =
        request(stateKeyPath(runId, key))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    return value(readTree(expectSuccess(send(request))));
  }

  /**
   * Adds {@code by} to the number at a key of a run's state, as an operator: {@code POST
   * /api/workflows/{id}/state/{key}/increment}. An absent key counts from 0.
   *
   * @return the value after this increment
   * @throws FlowClientException with code {@code state_type_mismatch} (409) when the key holds
   *     something other than a number
   */
  public JsonNode incrementState(String runId, String key, Number by) {
    return incrementState(runId, key, by, null);
  }

  /**
   * As {@link #incrementState(String, String, Number)}, sent with an {@code Idempotency-Key}: the
   * server counts the first call with a key and answers the later ones with the current value, so a
   * call repeated after a lost answer counts once.
   *
   * @param idempotencyKey 1 to 200 characters; null for none
   */
  public JsonNode incrementState(String runId, String key, Number by, String idempotencyKey) {
    Objects.requireNonNull(by, "by");
    ObjectNode body = json.createObjectNode();
    body.set("by", json.valueToTree(by));
    HttpRequest.Builder request =
        request(stateKeyPath(runId, key) + "/increment")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return value(readTree(expectSuccess(send(request.build()))));
  }

  private Map<String, JsonNode> stateMap(HttpRequest request) {
    HttpResponse<String> response = expectSuccess(send(request));
    JsonNode body = readTree(response);
    if (!body.isObject()) {
      throw new FlowClientException(
          response.statusCode(),
          "bad_response",
          "unreadable answer from " + response.uri() + ": not a JSON object",
          Map.of());
    }
    Map<String, JsonNode> state = new LinkedHashMap<>();
    body.fields().forEachRemaining(entry -> state.put(entry.getKey(), entry.getValue()));
    return Collections.unmodifiableMap(state);
  }

  /** The {@code value} of an answer {@code {key?, value}}; JSON {@code null} when it has none. */
  private static JsonNode value(JsonNode answer) {
    JsonNode value = answer.get("value");
    return value == null ? NullNode.getInstance() : value;
  }

  private static String statePath(String runId) {
    return runPath(runId) + "/state";
  }

  /** A state key is 1 to 512 characters, any of them (a blank key too). */
  private static String stateKeyPath(String runId, String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key is required");
    }
    return statePath(runId)
        + "/"
        + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void moveInPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a left-over .part file is harmless
      }
    }
  }

  private static String runPath(String id) {
    return "workflows/" + segment(id, "id");
  }

  private static String pageQuery(int page, int size) {
    Query query = new Query();
    query.add("page", page);
    query.add("size", size);
    return query.toString();
  }

  /**
   * The media type of a definition's text: {@code application/json} or {@code application/yaml}.
   *
   * @param format {@code json}, {@code yaml} or {@code yml} (any case); null or blank to tell from
   *     the text
   * @throws IllegalArgumentException for another format
   */
  static String definitionMediaType(String text, String format) {
    if (format == null || format.isBlank()) {
      String start = text == null ? "" : text.replace("\uFEFF", "").stripLeading();
      return start.startsWith("{") || start.startsWith("[")
          ? "application/json"
          : "application/yaml";
    }
    return switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "json" -> "application/json";
      case "yaml", "yml" -> "application/yaml";
      default ->
          throw new IllegalArgumentException("format must be json or yaml, got '" + format + "'");
    };
  }

  private HttpRequest postText(String path, String text, String format) {
    Objects.requireNonNull(text, "text");
    return request(path)
        .header("Content-Type", definitionMediaType(text, format) + "; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
        .build();
  }

  private JsonNode readTree(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw unreadable(response, e);
    }
  }

  private static boolean worthWaitingOn(FlowClientException e) {
    return e.status() == 0 || e.status() == 502 || e.status() == 503 || e.status() == 504;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void pause(Duration duration, String what) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowClientException("interrupted while waiting for " + what, e);
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
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8))
        .build();
  }

  private HttpRequest put(String path, Object body) {
    return request(path)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8))
        .build();
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
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

  private <T> T readPage(HttpResponse<String> response, JavaType type) {
    expectSuccess(response);
    try {
      return json.readValue(response.body(), type);
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
    return error(response.statusCode(), response.body(), response.uri());
  }

  private FlowClientException error(int status, String body, URI uri) {
    String code = "http_" + status;
    String message = body;
    Map<String, Object> details = Map.of();
    try {
      JsonNode error = json.readTree(body).path("error");
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
      message = "HTTP " + status + " from " + uri;
    }
    return new FlowClientException(status, code, message, details);
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

  /**
   * How {@link #awaitJob}, {@link #awaitRun} and an {@link EventStream} pause; replaced in tests so
   * they need not sleep.
   */
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
