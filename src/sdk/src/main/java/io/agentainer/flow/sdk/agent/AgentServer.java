package io.agentainer.flow.sdk.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent: an HTTP server on loopback that speaks agent task protocol v1 and runs each task with
 * the {@link TaskHandler} registered under the task's handler name.
 *
 * <ul>
 *   <li>{@code GET /health} → {@code 200 {"status":"UP"}} ({@code 503 {"status":"DRAINING"}} while
 *       it closes).
 *   <li>{@code POST /task} → {@code 200 {"output": ...}}, or {@code {"error": {type, message,
 *       retryable, stack?}}} with 400 (malformed request, naming the field), 404 (unknown handler),
 *       409 (cancelled), 422 (the handler's {@link TaskFailure}), 500 (an unexpected exception) or
 *       503 (busy or closing, retryable).
 *   <li>{@code DELETE /task/{jobId}} → 202 when that job runs here (it is flagged cancelled and its
 *       thread interrupted), 404 when it does not.
 * </ul>
 *
 * The handler is the request's {@code handler} if given, else the configured default ({@code
 * FLOW_HANDLER}), else the last segment of {@code stepId}. Tasks run concurrently, each on its own
 * thread of a pool (a pooled agent may serve several jobs at once).
 *
 * <pre>{@code
 * try (AgentServer agent = AgentServer.fromEnvironment()) {
 *   agent.handle("echo", ctx -> ctx.input()).start();
 *   ...
 * }
 * }</pre>
 */
public final class AgentServer implements AutoCloseable {

  /**
   * Without it the JDK server leaves Nagle's algorithm on and each response waits ~40 ms for a
   * delayed ACK. It is read once per JVM, when the first JDK HTTP server is created.
   */
  public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  public static final String HEALTH_PATH = "/health";
  public static final String TASK_PATH = "/task";

  private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());
  private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DRAINING =
      "{\"status\":\"DRAINING\"}".getBytes(StandardCharsets.UTF_8);

  static {
    System.setProperty(NODELAY_PROPERTY, "true");
  }

  private enum State {
    NEW,
    STARTED,
    CLOSING,
    CLOSED
  }

  private final String host;
  private final int requestedPort;
  private final Duration shutdownGrace;
  private final boolean warmUp;
  private final TaskDispatcher tasks;

  private final AtomicInteger inflight = new AtomicInteger();
  private final Object drained = new Object();

  private volatile State state = State.NEW;
  private HttpServer server;
  private ExecutorService executor;

  private AgentServer(Builder builder) {
    AgentEnvironment environment = builder.environment;
    this.host = builder.host != null ? builder.host : environment.host();
    this.requestedPort = builder.port != null ? builder.port : environment.port();
    this.shutdownGrace = builder.shutdownGrace;
    this.warmUp = builder.warmUp;
    HttpClient client = builder.httpClient;
    this.tasks =
        new TaskDispatcher(
            environment,
            builder.defaultHandler != null
                ? builder.defaultHandler
                : environment.handler().orElse(null),
            builder.maxConcurrentTasks,
            builder.stackTraces,
            ApiSettings.of(
                client != null ? () -> client : ApiSettings.DEFAULT_CLIENT,
                builder.apiTimeout,
                builder.apiRetryTime));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A server configured by the process environment: {@code FLOW_AGENT_PORT}, {@code
   * FLOW_AGENT_HOST}, {@code FLOW_HANDLER}, and the fallbacks {@code FLOW_WORKFLOW_ID}, {@code
   * FLOW_STEP_ID}, {@code FLOW_API}, {@code FLOW_TOKEN}, {@code TRACEPARENT}.
   *
   * @throws IllegalArgumentException when {@code FLOW_AGENT_PORT} is not a port number
   */
  public static AgentServer fromEnvironment() {
    return builder().environment(AgentEnvironment.system()).build();
  }

  /**
   * Registers a handler under a name; before or after {@link #start()}.
   *
   * @throws IllegalArgumentException when the name is blank or taken
   */
  public AgentServer handle(String name, TaskHandler handler) {
    tasks.register(name, handler);
    return this;
  }

  /** The names of the registered handlers, sorted. */
  public Set<String> handlerNames() {
    return tasks.handlerNames();
  }

  /** The handler used when a request names none: {@code FLOW_HANDLER} or the configured one. */
  public Optional<String> defaultHandler() {
    return tasks.defaultHandler();
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws IOException when the address cannot be bound (the port is taken, say)
   * @throws IllegalStateException when started already
   */
  public synchronized AgentServer start() throws IOException {
    if (state != State.NEW) {
      throw new IllegalStateException("agent server: already " + state.name().toLowerCase());
    }
    System.setProperty(NODELAY_PROPERTY, "true");
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread = new Thread(task, "flow-agent-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    HttpServer http = HttpServer.create(new InetSocketAddress(host, requestedPort), 128);
    http.createContext("/", this::serve);
    http.setExecutor(pool);
    http.start();
    this.executor = pool;
    this.server = http;
    this.state = State.STARTED;
    if (warmUp) {
      pool.execute(Json::warmUp);
    }
    LOG.log(System.Logger.Level.DEBUG, "agent listening on {0}", http.getAddress());
    return this;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    HttpServer bound = server;
    if (bound == null) {
      throw new IllegalStateException("agent server: not started");
    }
    return bound.getAddress();
  }

  /** The bound port (the one picked when configured with 0). */
  public int port() {
    return address().getPort();
  }

  /** {@code http://host:port}, where the protocol's paths are. */
  public URI uri() {
    return URI.create("http://" + address().getHostString() + ":" + port());
  }

  /** How many tasks run now. */
  public int runningTasks() {
    return tasks.runningTasks();
  }

  /**
   * Stops gracefully: health turns 503 and new tasks are refused (503, retryable), running tasks
   * get the shutdown grace to finish and are then cancelled, then the port is closed. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state != State.STARTED) {
        state = State.CLOSED;
        return;
      }
      state = State.CLOSING;
    }
    awaitDrained(shutdownGrace);
    tasks.cancelAll();
    awaitDrained(Duration.ofSeconds(2));
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    state = State.CLOSED;
  }

  private void awaitDrained(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (drained) {
      long left;
      while (inflight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private void serve(HttpExchange exchange) {
    inflight.incrementAndGet();
    try (exchange) {
      write(exchange, route(exchange));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "agent: client went away: {0}", e.toString());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "agent: cannot answer " + exchange.getRequestURI(), e);
    } finally {
      if (inflight.decrementAndGet() == 0) {
        synchronized (drained) {
          drained.notifyAll();
        }
      }
    }
  }

  private Reply route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (HEALTH_PATH.equals(path)) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return Reply.notAllowed(method, path, "GET");
      }
      boolean up = state == State.STARTED;
      return Reply.json(up ? 200 : 503, up ? UP : DRAINING);
    }
    if (TASK_PATH.equals(path)) {
      return method.equals("POST")
          ? tasks.dispatch(exchange.getRequestBody().readAllBytes(), state == State.STARTED)
          : Reply.notAllowed(method, path, "POST");
    }
    if (path.startsWith(TASK_PATH + "/")) {
      return method.equals("DELETE")
          ? tasks.cancel(path.substring(TASK_PATH.length() + 1))
          : Reply.notAllowed(method, path, "DELETE");
    }
    return Reply.error(
        404,
        TaskError.of(
            "not_found",
            "path: nothing at "
                + path
                + " (this agent serves GET /health, POST /task, DELETE /task/{jobId})",
            false));
  }

  private static void write(HttpExchange exchange, Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (reply.allow() != null) {
      exchange.getResponseHeaders().set("Allow", reply.allow());
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }

  /** Options of an {@link AgentServer}. */
  public static final class Builder {
    private AgentEnvironment environment = AgentEnvironment.of(Map.of());
    private String host;
    private Integer port;
    private String defaultHandler;
    private int maxConcurrentTasks = 64;
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private boolean stackTraces = true;
    private boolean warmUp = true;
    private HttpClient httpClient;
    private Duration apiTimeout = ApiSettings.DEFAULT_TIMEOUT;
    private Duration apiRetryTime = ApiSettings.DEFAULT_RETRY_TIME;

    private Builder() {}

    /**
     * Reads {@code FLOW_AGENT_PORT}, {@code FLOW_AGENT_HOST} and {@code FLOW_HANDLER} from it (the
     * setters below win), and fills what requests leave out from it.
     */
    public Builder environment(AgentEnvironment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The address to bind; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; {@code 0} picks a free one (see {@link AgentServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The handler for requests that name none (instead of {@code stepId}'s last segment). */
    public Builder defaultHandler(String defaultHandler) {
      this.defaultHandler = defaultHandler;
      return this;
    }

    /** Tasks that may run at once; more are refused with 503 (retryable). Default 64. */
    public Builder maxConcurrentTasks(int maxConcurrentTasks) {
      if (maxConcurrentTasks < 1) {
        throw new IllegalArgumentException("maxConcurrentTasks: must be >= 1");
      }
      this.maxConcurrentTasks = maxConcurrentTasks;
      return this;
    }

    /** How long {@link AgentServer#close()} lets running tasks finish before cancelling them. */
    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
      return this;
    }

    /** Whether error responses carry the stack of unexpected exceptions. Default true. */
    public Builder stackTraces(boolean stackTraces) {
      this.stackTraces = stackTraces;
      return this;
    }

    /** Whether {@link AgentServer#start()} loads Jackson in the background. Default true. */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /** The client of the run-scoped API calls; default a shared HTTP/1.1 JDK client. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** The time limit of one run-scoped API call. Default 10 s. */
    public Builder apiTimeout(Duration apiTimeout) {
      this.apiTimeout = Objects.requireNonNull(apiTimeout, "apiTimeout");
      return this;
    }

    /**
     * How long a run-scoped API call ({@link RunState}, checkpoints) keeps trying again after
     * transient failures (no connection, HTTP 408, 429, 502, 503, 504) before it fails the task,
     * retryable. Default 2 minutes, long enough for the server to restart; zero tries once.
     */
    public Builder apiRetryTime(Duration apiRetryTime) {
      Objects.requireNonNull(apiRetryTime, "apiRetryTime");
      if (apiRetryTime.isNegative()) {
        throw new IllegalArgumentException("apiRetryTime: must not be negative");
      }
      this.apiRetryTime = apiRetryTime;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the environment's port is not a port number
     */
    public AgentServer build() {
      return new AgentServer(this);
    }
  }
}
