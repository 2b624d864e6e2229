package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The asynchronous client of the Agentainer Flow API: every call returns a {@link
 * CompletableFuture}, fails with a typed {@link FlowClientException}, and is retried when the
 * server is unavailable for a moment and the call is safe to repeat. It wraps a {@link FlowClient}.
 * Thread safe; build one per server, share it, and close it when done.
 *
 * <pre>{@code
 * try (WorkflowClient flow = WorkflowClient.builder().fromEnvironment().build()) {
 *   Run ended =
 *       flow.register(Files.readString(Path.of("wordcount.yaml")), "yaml")
 *           .thenCompose(def -> flow.start(def.name(), Map.of("docs", docs), "wordcount-2025-01-02"))
 *           .thenCompose(run -> flow.await(run.id(), Duration.ofMinutes(10)))
 *           .join();
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Calls run on the executor given to {@link Builder#executor(Executor)}, else on
 * daemon threads named {@code flow-client-N} that this client starts as needed. Futures complete on
 * those threads, so dependent stages run there too: keep them short, or give them an executor of
 * their own ({@code thenApplyAsync(..., executor)}). Pauses between attempts and between looks at a
 * run are timed by a scheduler: no thread sleeps through them.
 *
 * <p><b>Errors.</b> A future fails with the error itself, not wrapped: {@link NotFoundException}
 * (404), {@link InvalidRequestException} (400, 422), {@link ConflictException} (409), {@link
 * UnauthorizedException} (401, 403), {@link UnavailableException} (no answer, 429, 502, 503, 504);
 * any other failure is a plain {@link FlowClientException}. Each keeps the status, code, message,
 * details and problems of the answer, and has the {@link FlowClient}'s exception as its cause. As
 * usual, {@link CompletableFuture#get()} wraps it in an {@link ExecutionException} and {@link
 * CompletableFuture#join()} in a {@link CompletionException}. Arguments are checked when the call
 * runs: a missing or malformed one (a blank id, an unknown format) fails the future with an {@link
 * IllegalArgumentException} or {@link NullPointerException} before anything is sent.
 *
 * <p><b>Retries.</b> Only an {@link UnavailableException} is retried, and only by calls that are
 * safe to repeat: the reads ({@link #status}, {@link #state}, {@link #jobs}, {@link #events}),
 * {@link #validate}, {@link #cancel}, {@link #retry}, and {@link #start(String, Object, String)
 * start} with an idempotency key (the server answers the run the key started, instead of starting
 * another). {@link #register} and a start without a key are sent once: the server may have acted on
 * a request whose answer was lost. A call makes at most {@link Builder#retries(int)} attempts (4 by
 * default), pausing before each new one: 200 ms, doubling each time, up to 5 s, each pause 20%
 * shorter or longer at random ({@link Builder#backoff(Duration, Duration)}, {@link
 * Builder#jitter(double)}). After the last attempt the future fails with its error. Cancelling a
 * returned future stops its retries.
 */
public final class WorkflowClient implements AutoCloseable {

  /** How many attempts a call that may be repeated makes at most, by default. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;

  /** The pause before the second attempt, by default. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  /** The longest pause between two attempts, by default. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  /** How much a pause varies at random, as a fraction of it, by default: 0.2 is ±20%. */
  public static final double DEFAULT_JITTER = 0.2;

  /** The page size {@link #jobs(String)} reads a run's jobs with: the most the API allows. */
  static final int JOBS_PAGE_SIZE = 500;

  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Daemon threads named {@code flow-client-N}, for the executor and the scheduler. */
  private static final ThreadFactory THREAD_FACTORY =
      task -> {
        Thread thread = new Thread(task, "flow-client-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };

  private final FlowClient client;
  private final Executor executor;
  private final ExecutorService ownExecutor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final int maxAttempts;
  private final IntFunction<Duration> backoff;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private WorkflowClient(Builder builder) {
    this.client = builder.client != null ? builder.client : builder.flow.build();
    if (builder.executor != null) {
      this.executor = builder.executor;
      this.ownExecutor = null;
    } else {
      this.ownExecutor = Executors.newCachedThreadPool(THREAD_FACTORY);
      this.executor = ownExecutor;
    }
    this.scheduler = new ScheduledThreadPoolExecutor(1, THREAD_FACTORY);
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.maxAttempts = builder.maxAttempts;
    if (builder.delays != null) {
      this.backoff = builder.delays;
    } else {
      Duration initial = builder.initialBackoff;
      Duration max = builder.maxBackoff;
      double jitter = builder.jitter;
      this.backoff =
          retry -> backoff(retry, initial, max, jitter, ThreadLocalRandom.current().nextDouble());
    }
  }

  /** Options of a new client: the API address and token, its executor and its retries. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client that calls through {@code client}, with the default retries and threads of its own.
   */
  public static WorkflowClient of(FlowClient client) {
    return builder().flowClient(client).build();
  }

  /** The synchronous client every call goes through, for what this one does not offer. */
  public FlowClient flowClient() {
    return client;
  }

  // definitions

  /**
   * Registers a definition: {@code POST /api/definitions}. Registering the text of the latest
   * version again makes no new version ({@link DefinitionRef#created()} is then false). Sent once,
   * never retried.
   *
   * @param definitionText the definition, JSON or YAML
   * @param format {@code json} or {@code yaml}; null to tell from the text
   * @return the name and version registered; fails with {@link InvalidRequestException} (code
   *     {@code invalid_definition}, with its {@link FlowClientException#problems() problems}) when
   *     the definition is not valid
   */
  public CompletableFuture<DefinitionRef> register(String definitionText, String format) {
    return call(false, () -> client.applyDefinition(definitionText, format));
  }

  /**
   * Registers a definition given as a JSON tree. As {@link #register(String, String)}.
   *
   * @param definition the definition: {@code {"name": ..., "steps": [...]}}
   */
  public CompletableFuture<DefinitionRef> register(JsonNode definition) {
    return call(false, () -> client.applyDefinition(text(definition), "json"));
  }

  /**
   * Checks a definition without registering it: {@code POST /api/definitions/validate}. Retried.
   *
   * @param definitionText the definition, JSON or YAML
   * @param format {@code json} or {@code yaml}; null to tell from the text
   * @return what is wrong with it; empty when it is valid
   */
  public CompletableFuture<List<Problem>> validate(String definitionText, String format) {
    return call(true, () -> client.validateDefinition(definitionText, format));
  }

  /** Checks a definition given as a JSON tree. As {@link #validate(String, String)}. */
  public CompletableFuture<List<Problem>> validate(JsonNode definition) {
    return call(true, () -> client.validateDefinition(text(definition), "json"));
  }

  // runs

  /**
   * Starts a run of the latest version of a definition: {@code POST /api/definitions/{name}/runs}.
   * Sent once, never retried: a lost answer would leave no way to tell whether the run started. Use
   * {@link #start(String, Object, String)} with a key to have it retried.
   *
   * @param definition the definition's name
   * @param input the run's input: a {@link JsonNode} or anything Jackson writes as JSON; null for
   *     none
   * @return the run's id and status; fails with {@link NotFoundException} for an unknown
   *     definition, {@link InvalidRequestException} (code {@code invalid_input}) when the input
   *     does not fit
   */
  public CompletableFuture<RunRef> start(String definition, Object input) {
    return start(definition, input, null);
  }

  /**
   * Starts a run, at most once per idempotency key. The server answers a key it has seen with the
   * run that key started ({@link RunRef#created()} false), so this call is retried like a read: at
   * most one run starts however many attempts it takes.
   *
   * @param idempotencyKey 1 to 200 characters, the same for every attempt to start this run; null
   *     for none, and then the call is sent once as {@link #start(String, Object)}
   */
  public CompletableFuture<RunRef> start(String definition, Object input, String idempotencyKey) {
    return call(idempotencyKey != null, () -> client.startRun(definition, input, idempotencyKey));
  }

  /**
   * One run with its steps, progress and ETA: {@code GET /api/workflows/{id}}. Retried.
   *
   * @return the run; fails with {@link NotFoundException} when there is no such run
   */
  public CompletableFuture<Run> status(String runId) {
    return call(true, () -> client.run(runId));
  }

  /**
   * The run once it has ended ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED} or {@code
   * TIMED_OUT}). Looks at the run at once, then after pauses of 100 ms, each 1.5 times the last, up
   * to 2 s, never past the deadline; no thread waits in between. While waiting, an unavailable
   * server counts as "not ended yet"; any other error ends the wait at once.
   *
   * @param timeout how long to wait at most; zero looks once
   * @return the ended run; fails with a {@link FlowClientException} with code {@code timeout} when
   *     the run is still going at the deadline, {@link NotFoundException} when there is no such run
   */
  public CompletableFuture<Run> await(String runId, Duration timeout) {
    CompletableFuture<Run> result = track(new CompletableFuture<>());
    execute(
        result,
        () -> {
          Objects.requireNonNull(timeout, "timeout");
          if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
          }
          long deadline = System.nanoTime() + saturatedNanos(timeout);
          look(result, runId, timeout, deadline, FlowClient.FIRST_POLL_DELAY);
        });
    return result;
  }

  /**
   * Cancels a run, its open steps and jobs: {@code POST /api/workflows/{id}/cancel}. Retried: when
   * an attempt cancelled the run but its answer was lost, the next one fails with {@link
   * ConflictException}, as for a run that had already ended.
   *
   * @return the run's id and status; fails with {@link ConflictException} when it has already ended
   */
  public CompletableFuture<RunRef> cancel(String runId) {
    return call(true, () -> client.cancelRun(runId));
  }

  /**
   * Runs a failed, cancelled or timed-out run again from the steps that did not succeed: {@code
   * POST /api/workflows/{id}/retry}. Retried: when an attempt restarted the run but its answer was
   * lost, the next one fails with {@link ConflictException}, as for a run that is running.
   *
   * @return the run's id and status; fails with {@link ConflictException} unless the run is {@code
   *     FAILED}, {@code CANCELLED} or {@code TIMED_OUT}
   */
  public CompletableFuture<RunRef> retry(String runId) {
    return call(true, () -> client.retryRun(runId));
  }

  // state

  /**
   * A run's state, every key with its value, as one consistent snapshot: {@code GET
   * /api/workflows/{id}/state}. Retried.
   *
   * @return the keys in the order the server sent them; fails with {@link NotFoundException} when
   *     there is no such run
   */
  public CompletableFuture<Map<String, JsonNode>> state(String runId) {
    return call(true, () -> client.state(runId));
  }

  /**
   * The value of one key of a run's state: {@code GET /api/workflows/{id}/state/{key}}. Retried.
   *
   * @return empty when the key is absent (or the run: {@link #state(String)} tells them apart);
   *     JSON {@code null} when the key holds {@code null}
   */
  public CompletableFuture<Optional<JsonNode>> state(String runId, String key) {
    return call(true, () -> client.state(runId, key));
  }

  // jobs and events

  /**
   * Every job of a run, ordered by step, then task, then attempt: each page of {@code GET
   * /api/workflows/{id}/jobs} in turn, each page retried on its own.
   */
  public CompletableFuture<List<Job>> jobs(String runId) {
    CompletableFuture<List<Job>> result = track(new CompletableFuture<>());
    collectJobs(result, runId, 0, new ArrayList<>());
    return result;
  }

  /**
   * One page of a run's jobs: {@code GET /api/workflows/{id}/jobs}. Retried.
   *
   * @param statuses only jobs in these statuses ({@link Job#STATUSES}); null or empty for all
   * @param page from 0
   * @param size 1 to 500
   */
  public CompletableFuture<Page<Job>> jobs(String runId, Set<String> statuses, int page, int size) {
    return call(true, () -> client.workflowJobs(runId, statuses, page, size));
  }

  /**
   * A run's recorded events, oldest first: {@code GET /api/workflows/{id}/events}. Retried.
   *
   * @param types only events of these types ({@code run.started}, {@code job.failed}...); null or
   *     empty for all
   * @param after only events with a greater id; 0 for the first
   * @param limit at most this many, 1 to 5000
   */
  public CompletableFuture<List<FlowEvent>> events(
      String runId, Set<String> types, long after, int limit) {
    return call(true, () -> client.events(runId, types, after, limit));
  }

  /**
   * Follows a run's events as they happen, from its first: {@code GET
   * /api/workflows/{id}/events/stream}, on a daemon thread of the stream's own.
   *
   * <p>The stream outlives dropped connections: when the connection breaks, the server restarts or
   * answers 408, 429 or 5xx, it connects again with {@code Last-Event-ID} set to the last event
   * delivered, so no event is lost or repeated. A refusal (401, 403, 404, 400), a callback that
   * throws or an unreadable event ends it; {@link EventStream#failure()} then says why. See {@link
   * EventStream}. Closing this client does not close the stream.
   *
   * @param types only events of these types; null or empty for all
   * @param onEvent gets each event, in order, one at a time, on the stream's thread
   * @return the open stream; close it to stop
   */
  public EventStream streamEvents(String runId, Set<String> types, Consumer<FlowEvent> onEvent) {
    return client.streamEvents(runId, types, 0, onEvent);
  }

  /**
   * Stops this client: calls still going fail with a {@link FlowClientException} with code {@code
   * closed}, and new ones fail the same way. Stops the threads this client started; an executor
   * given to the builder is left running. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CompletableFuture<?> future : List.copyOf(pending)) {
      future.completeExceptionally(closedError());
    }
    scheduler.shutdownNow();
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  // how calls run

  /** A call on the executor, retried when {@code repeatable} and the server is unavailable. */
  private <T> CompletableFuture<T> call(boolean repeatable, Supplier<T> call) {
    CompletableFuture<T> result = track(new CompletableFuture<>());
    int attempts = repeatable ? maxAttempts : 1;
    execute(result, () -> attempt(result, attempts, 1, call));
    return result;
  }

  /** One attempt, on the executor; the next one is timed by the scheduler. */
  private <T> void attempt(
      CompletableFuture<T> result, int attempts, int attempt, Supplier<T> call) {
    try {
      result.complete(call.get());
    } catch (RuntimeException e) {
      RuntimeException failure = typed(e);
      if (failure instanceof UnavailableException && attempt < attempts && !closed) {
        later(result, backoff.apply(attempt), () -> attempt(result, attempts, attempt + 1, call));
      } else {
        result.completeExceptionally(failure);
      }
    }
  }

  /** One look of {@link #await}: done when the run has ended, else another look later. */
  private void look(
      CompletableFuture<Run> result,
      String runId,
      Duration timeout,
      long deadline,
      Duration delay) {
    Run last = null;
    FlowClientException lastError = null;
    try {
      last = client.run(runId);
      if (last.finished()) {
        result.complete(last);
        return;
      }
    } catch (RuntimeException e) {
      RuntimeException failure = typed(e);
      if (!(failure instanceof UnavailableException unavailable)) {
        result.completeExceptionally(failure);
        return;
      }
      lastError = unavailable;
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      String state =
          lastError != null
              ? "could not be seen (" + lastError.getMessage() + ")"
              : "is still " + last.status();
      result.completeExceptionally(
          new FlowClientException(
              0, "timeout", "run " + runId + " " + state + " after " + timeout, lastError));
      return;
    }
    Duration pause = Duration.ofNanos(Math.min(delay.toNanos(), left));
    Duration next = Duration.ofMillis(delay.toMillis() * 3 / 2);
    Duration nextDelay =
        next.compareTo(FlowClient.MAX_POLL_DELAY) > 0 ? FlowClient.MAX_POLL_DELAY : next;
    later(result, pause, () -> look(result, runId, timeout, deadline, nextDelay));
  }

  private void collectJobs(
      CompletableFuture<List<Job>> result, String runId, int page, List<Job> seen) {
    jobs(runId, null, page, JOBS_PAGE_SIZE)
        .whenComplete(
            (jobs, error) -> {
              if (error != null) {
                result.completeExceptionally(unwrap(error));
              } else if (!result.isDone()) {
                seen.addAll(jobs.items());
                if (jobs.hasNext() && !jobs.items().isEmpty()) {
                  collectJobs(result, runId, page + 1, seen);
                } else {
                  result.complete(List.copyOf(seen));
                }
              }
            });
  }

  /** Runs {@code task} on the executor unless {@code result} is done; a throw fails the result. */
  private void execute(CompletableFuture<?> result, Runnable task) {
    if (result.isDone()) {
      return;
    }
    try {
      executor.execute(
          () -> {
            if (result.isDone()) {
              return;
            }
            try {
              task.run();
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closed ? closedError() : e);
    }
  }

  /** Runs {@code task} on the executor after {@code delay}, timed by the scheduler. */
  private void later(CompletableFuture<?> result, Duration delay, Runnable task) {
    try {
      ScheduledFuture<?> timer =
          scheduler.schedule(
              () -> execute(result, task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      result.whenComplete((value, error) -> timer.cancel(false));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closed ? closedError() : e);
    }
  }

  /** Registers a future so that {@link #close()} can fail it; fails it at once when closed. */
  private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    pending.add(future);
    future.whenComplete((value, error) -> pending.remove(future));
    if (closed) {
      future.completeExceptionally(closedError());
    }
    return future;
  }

  private static FlowClientException closedError() {
    return new FlowClientException(0, "closed", "the workflow client was closed");
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static String text(JsonNode definition) {
    return Objects.requireNonNull(definition, "definition").toString();
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }

  /**
   * The typed exception for a failure: the matching subclass of {@link FlowClientException} (the
   * original as its cause, same message), else the failure itself.
   */
  static RuntimeException typed(RuntimeException e) {
    if (!(e instanceof FlowClientException error) || e.getClass() != FlowClientException.class) {
      return e;
    }
    return switch (error.status()) {
      case 404 -> new NotFoundException(error);
      case 400, 422 -> new InvalidRequestException(error);
      case 409 -> new ConflictException(error);
      case 401, 403 -> new UnauthorizedException(error);
      case 429, 502, 503, 504 -> new UnavailableException(error);
      case 0 -> "unreachable".equals(error.code()) ? new UnavailableException(error) : error;
      default -> error;
    };
  }

  /**
   * The pause before attempt {@code retry + 1}: {@code initial} doubled {@code retry - 1} times, at
   * most {@code max}, then moved by up to {@code jitter} of itself (never above {@code max}).
   *
   * @param retry 1 for the pause after the first attempt
   * @param random from 0 (the shortest pause) to 1 (the longest)
   */
  static Duration backoff(int retry, Duration initial, Duration max, double jitter, double random) {
    double base = initial.toNanos() * Math.pow(2, Math.max(0, retry - 1));
    double capped = Math.min(base, max.toNanos());
    double varied = capped * (1 + jitter * (2 * random - 1));
    return Duration.ofNanos((long) Math.max(0, Math.min(varied, max.toNanos())));
  }

  /** Options of a {@link WorkflowClient}. */
  public static final class Builder {
    private final FlowClient.Builder flow = FlowClient.builder();
    private boolean connectionSet;
    private FlowClient client;
    private Executor executor;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double jitter = DEFAULT_JITTER;
    private IntFunction<Duration> delays;

    private Builder() {}

    /**
     * The API address, e.g. {@code http://localhost:8081/api}; {@link FlowClient#DEFAULT_BASE_URL}
     * by default.
     */
    public Builder baseUrl(String baseUrl) {
      flow.baseUrl(baseUrl);
      connectionSet = true;
      return this;
    }

    /** The bearer token sent with every call. */
    public Builder token(String token) {
      flow.token(token);
      connectionSet = true;
      return this;
    }

    /** The time limit of one attempt, and of connecting; 10 s by default. */
    public Builder timeout(Duration timeout) {
      flow.timeout(timeout);
      connectionSet = true;
      return this;
    }

    /**
     * Address and token from the environment, as {@link FlowClient.Builder#fromEnvironment()}:
     * {@code FLOW_API}, {@code FLOW_TOKEN}, else the server's token file.
     */
    public Builder fromEnvironment() {
      flow.fromEnvironment();
      connectionSet = true;
      return this;
    }

    /**
     * Calls through this client instead of one built from {@link #baseUrl}, {@link #token} and
     * {@link #timeout}, which must then not be set.
     */
    public Builder flowClient(FlowClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Where calls run. By default, on daemon threads named {@code flow-client-N} that the client
     * starts as needed and stops on {@link WorkflowClient#close()}; a given executor is never shut
     * down by the client. Calls block their thread while waiting for the server.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How many attempts a call that may be repeated makes at most, the first one included: 1 for no
     * retries; {@value WorkflowClient#DEFAULT_MAX_ATTEMPTS} by default.
     */
    public Builder retries(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be 1 or more, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The pause before the second attempt, doubled before each next one up to {@code max}; 200 ms
     * and 5 s by default.
     */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= initial <= max, got " + initial + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How much each pause varies at random, as a fraction of it, so that clients that failed
     * together do not all come back together: from 0 (exact pauses) to 1; 0.2 (±20%) by default.
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1, got " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /** The pause before attempt {@code retry + 1}, replacing backoff and jitter; for tests. */
    Builder delays(IntFunction<Duration> delays) {
      this.delays = Objects.requireNonNull(delays, "delays");
      return this;
    }

    /**
     * A new client.
     *
     * @throws IllegalStateException when both a {@link #flowClient(FlowClient)} and connection
     *     settings were given
     */
    public WorkflowClient build() {
      if (client != null && connectionSet) {
        throw new IllegalStateException(
            "set either flowClient(...) or baseUrl/token/timeout/fromEnvironment, not both");
      }
      return new WorkflowClient(this);
    }
  }
}
