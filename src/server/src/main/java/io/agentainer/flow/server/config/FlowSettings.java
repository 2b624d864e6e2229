package io.agentainer.flow.server.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Every setting of the server, read through MicroProfile Config: the defaults sit in {@code
 * META-INF/microprofile-config.properties}, and each is overridden by an environment variable
 * ({@code flow.redis.url} by {@code FLOW_REDIS_URL}). The database settings ({@code FLOW_DB_URL},
 * {@code FLOW_DB_USER}, {@code FLOW_DB_PASSWORD}) and {@code FLOW_PORT} belong to WildFly's
 * datasource and socket binding, which read the same environment variables.
 */
@ApplicationScoped
public class FlowSettings {

  private final Config config;

  @Inject
  public FlowSettings(Config config) {
    this.config = config;
  }

  /** For CDI's proxy. */
  protected FlowSettings() {
    this.config = null;
  }

  /** {@code FLOW_REDIS_URL}: {@code redis://[user:password@]host:port[/database]}. */
  public String redisUrl() {
    return config.getValue("flow.redis.url", String.class);
  }

  /** {@code FLOW_REDIS_TIMEOUT}: the time limit of connecting to Redis and of one command. */
  public Duration redisTimeout() {
    return duration("flow.redis.timeout");
  }

  /** {@code FLOW_DOCKER_HOST}: the Docker engine, e.g. {@code unix:///var/run/docker.sock}. */
  public String dockerHost() {
    return config.getValue("flow.docker.host", String.class);
  }

  /** {@code FLOW_DOCKER_TIMEOUT}: the time limit of every call to the Docker engine. */
  public Duration dockerTimeout() {
    return duration("flow.docker.timeout");
  }

  /** {@code FLOW_DOCKER_MAX_CONNECTIONS}: connections to the Docker engine at most. */
  public int dockerMaxConnections() {
    return config.getValue("flow.docker.max.connections", Integer.class);
  }

  /** {@code FLOW_ADMIN_TOKEN}: the admin token; when unset, one is generated on first start. */
  public Optional<String> adminToken() {
    return config.getOptionalValue("flow.admin.token", String.class).filter(s -> !s.isBlank());
  }

  /** {@code FLOW_TOKEN_FILE}: where a generated admin token is kept for the CLI. */
  public Path tokenFile() {
    return config
        .getOptionalValue("flow.token.file", String.class)
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".agentainer", "admin-token"));
  }

  /** {@code FLOW_MAX_PARALLEL}: jobs running at once on this node, across all runs. */
  public int maxParallel() {
    return config.getValue("flow.max.parallel", Integer.class);
  }

  /** {@code FLOW_POOL_MAX_SIZE}: the default {@code maxSize} of an agent pool. */
  public int poolMaxSize() {
    return config.getValue("flow.pool.max.size", Integer.class);
  }

  /** {@code FLOW_POOL_IDLE_TIMEOUT}: the default idle time after which a pooled agent stops. */
  public Duration poolIdleTimeout() {
    return duration("flow.pool.idle.timeout");
  }

  /** {@code FLOW_POOL_LEASE_TIMEOUT}: how long a lease waits for an agent of a full pool. */
  public Duration poolLeaseTimeout() {
    return duration("flow.pool.lease.timeout");
  }

  /**
   * {@code FLOW_POOL_START_CONCURRENCY}: pooled agents of this node starting at once (more wait
   * their turn, each with its own ready timeout); 0 means twice the processors.
   */
  public int poolStartConcurrency() {
    int configured = config.getValue("flow.pool.start.concurrency", Integer.class);
    return configured > 0 ? configured : 2 * Runtime.getRuntime().availableProcessors();
  }

  /** {@code FLOW_POOL_DRAIN_GRACE}: how long running pooled tasks may finish on drain and stop. */
  public Duration poolDrainGrace() {
    return duration("flow.pool.drain.grace");
  }

  /**
   * {@code FLOW_RETENTION}: how long finished runs are kept, unless a definition says otherwise.
   */
  public Duration retention() {
    return duration("flow.retention");
  }

  /** {@code FLOW_NODE_HEARTBEAT}: how often this node tells the others it is alive. */
  public Duration nodeHeartbeat() {
    return duration("flow.node.heartbeat");
  }

  /** {@code FLOW_NODE_ID}: this server's node id; by default the host and installation. */
  public Optional<String> nodeId() {
    return text("flow.node.id");
  }

  /** {@code FLOW_JOB_LEASE}: how long a node holds a running job without renewing it. */
  public Duration jobLease() {
    return duration("flow.job.lease");
  }

  /** {@code FLOW_JOB_TIMEOUT}: a job's time limit when it names none. */
  public Duration jobTimeout() {
    return duration("flow.job.timeout");
  }

  /** {@code FLOW_AGENT_RUNTIME}: {@code docker}, {@code process} or {@code auto}. */
  public String agentRuntime() {
    return text("flow.agent.runtime").orElse("auto");
  }

  /** {@code FLOW_AGENT_PORTS}: the host ports agents listen on, e.g. {@code 20000-29999}. */
  public String agentPorts() {
    return config.getValue("flow.agent.ports", String.class);
  }

  /** {@code FLOW_AGENT_READY_TIMEOUT}: how long a new agent may take to answer its health check. */
  public Duration agentReadyTimeout() {
    return duration("flow.agent.ready.timeout");
  }

  /** {@code FLOW_AGENT_DIR}: where process agents keep their output and records. */
  public Optional<String> agentDir() {
    return text("flow.agent.dir");
  }

  /** {@code FLOW_DOCKER_NETWORK}: {@code host} (default) or {@code bridge} (port on 127.0.0.1). */
  public String dockerNetwork() {
    return text("flow.docker.network").orElse("host");
  }

  /** {@code FLOW_PROCESS_IMAGES}: {@code image=command;...} for the process runtime. */
  public Optional<String> processImages() {
    return text("flow.process.images");
  }

  private Optional<String> text(String name) {
    return config.getOptionalValue(name, String.class).filter(s -> !s.isBlank());
  }

  private Duration duration(String name) {
    return Durations.parse(name, config.getValue(name, String.class));
  }

  /**
   * {@code FLOW_STATE_INLINE_LIMIT}: bytes of a state value above which it is compressed and kept
   * out of line.
   */
  public int stateInlineLimit() {
    return config.getValue("flow.state.inline.limit", Integer.class);
  }

  /**
   * {@code FLOW_STATE_HOT_COUNTERS}: {@code redis} keeps whole-number counters hot in Redis; {@code
   * none} increments on PostgreSQL rows only.
   */
  public boolean stateHotCountersInRedis() {
    String value = text("flow.state.hot.counters").orElse("redis").trim();
    if (!value.equals("redis") && !value.equals("none")) {
      throw new IllegalArgumentException(
          "FLOW_STATE_HOT_COUNTERS: expected redis or none, got " + value);
    }
    return value.equals("redis");
  }
}
