package io.agentainer.flow.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.agentainer.flow.sdk.client.FlowClient;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Agent pools ({@code src/sdk/POOLS.md}), all figures from one run of the program:
 *
 * <ol>
 *   <li><b>Lease latency</b>: a warm pool of one agent serving 200 {@code echo} tasks one after the
 *       other (the pool's own lease waits, {@code leaseWaitP50Ms} and {@code leaseWaitP99Ms}),
 *       beside 20 cold starts of the same agent, one at a time ({@code agentAcquireMs} of cold
 *       jobs: agent created, first 200 on its health check).
 *   <li><b>Tasks</b>: {@code tasks} tasks of {@code sleep 10 ms}, 20 at once, on warm pools of 5
 *       and 20 agents beside cold agents: wall time (server clock, run created to finished), job
 *       time, the pools' utilization during the run, cold starts.
 *   <li><b>Fan-out</b>: a map of {@code fanout} {@code echo} tasks on 8 warm process agents, then a
 *       reduce: jobs per second up to the reduce's start, beside db-scheduler running as many no-op
 *       one-time tasks on the same PostgreSQL; the server's heap after a full GC before and after.
 * </ol>
 *
 * <pre>java PoolBenchmark [tasks=200] [api] [fanout=10000] [serverPid] [dbUrl]</pre>
 *
 * The runtime of parts 1 and 2 is docker when the server's health says the engine is up, else
 * process. {@code dbUrl} is the server's database URL: db-scheduler uses the database {@code
 * postgres} on the same PostgreSQL server (user and password from {@code FLOW_DB_USER} and {@code
 * FLOW_DB_PASSWORD}, else postgres). Without {@code serverPid} the heap is not measured. Needs a
 * running server ({@code flow up}) and the image ({@code flow images}).
 */
public final class PoolBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE = ColdJobBenchmark.IMAGE;
  private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
  private static final String DEFAULT_DB_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private static final int LEASES = 200;
  private static final int COLD_STARTS = 20;
  private static final int PARALLEL = 20;
  private static final int SLEEP_MS = 10;
  private static final int FANOUT_AGENTS = 8;
  private static final int SCHEDULER_THREADS = 20;

  /** db-scheduler's PostgreSQL schema (its postgresql_tables.sql of 16.x). */
  private static final List<String> SCHEDULER_SCHEMA =
      List.of(
          "create table scheduled_tasks ("
              + " task_name text not null,"
              + " task_instance text not null,"
              + " task_data bytea,"
              + " execution_time timestamp with time zone not null,"
              + " picked boolean not null,"
              + " picked_by text,"
              + " last_success timestamp with time zone,"
              + " last_failure timestamp with time zone,"
              + " consecutive_failures int,"
              + " last_heartbeat timestamp with time zone,"
              + " version bigint not null,"
              + " priority smallint,"
              + " primary key (task_name, task_instance))",
          "create index execution_time_idx on scheduled_tasks (execution_time)",
          "create index last_heartbeat_idx on scheduled_tasks (last_heartbeat)",
          "create index priority_execution_time_idx on scheduled_tasks"
              + " (priority desc, execution_time asc)");

  private final HttpClient http;
  private final URI base;
  private final String token;
  private final String suffix;

  private PoolBenchmark(HttpClient http, URI base, String token, String suffix) {
    this.http = http;
    this.base = base;
    this.token = token;
    this.suffix = suffix;
  }

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 200;
    String api = args.length > 1 && !args[1].isBlank() ? args[1] : FlowClient.DEFAULT_BASE_URL;
    int fanout = args.length > 2 && !args[2].isBlank() ? Integer.parseInt(args[2]) : 10_000;
    String pid = args.length > 3 && !args[3].isBlank() ? args[3].trim() : null;
    String dbUrl = args.length > 4 && !args[4].isBlank() ? args[4] : DEFAULT_DB_URL;
    if (tasks < 1 || fanout < 1) {
      throw new IllegalArgumentException(
          "tasks and fanout must be at least 1, got " + tasks + " and " + fanout);
    }
    String token =
        System.getenv("FLOW_TOKEN") != null
            ? System.getenv("FLOW_TOKEN")
            : FlowClient.TokenFile.read(FlowClient.TokenFile.defaultPath()).orElseThrow();
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    PoolBenchmark bench =
        new PoolBenchmark(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build(),
            URI.create(api.endsWith("/") ? api : api + "/"),
            token,
            HexFormat.of().formatHex(random));
    String runtime = bench.runtime();
    String schedulerUrl = schedulerUrl(dbUrl);

    System.out.printf(
        "agent pools, runtime %s for parts 1 and 2 (%s), definitions bench-pool-*-%s%n",
        runtime,
        runtime.equals("docker") ? "the Docker engine is up" : "no Docker engine",
        bench.suffix);
    System.out.printf(
        "  1. lease latency: a warm pool of 1 agent lends it to %d echo tasks one after the other"
            + " (the pool's lease waits), beside %d cold starts (agent created -> first 200 on"
            + " /health)%n",
        LEASES, COLD_STARTS);
    System.out.printf(
        "  2. %d tasks of sleep %d ms, %d at once: warm pools of 5 and 20 agents beside cold"
            + " agents; wall time, job time, the pools' utilization during the run%n",
        tasks, SLEEP_MS, PARALLEL);
    System.out.printf(
        "  3. fan-out: a map of %d echo tasks on %d warm process agents, then a reduce: jobs per"
            + " second up to the reduce's start, beside db-scheduler (%d no-op one-time tasks, %d"
            + " threads, lock-and-fetch) on %s; the server's heap after a full GC before and"
            + " after%n",
        fanout, FANOUT_AGENTS, fanout, SCHEDULER_THREADS, schedulerUrl);

    bench.leaseLatency(runtime);
    bench.tasks(runtime, tasks);
    bench.fanOut(fanout, pid, schedulerUrl);
  }

  // ---- 1. lease latency ---------------------------------------------------------------------

  private void leaseLatency(String runtime) throws Exception {
    System.out.printf("%n1. lease latency, runtime %s%n", runtime);
    String warm = "bench-pool-lease-" + suffix;
    register(parallel(warm, LEASES, "echo", "{n: 1}", runtime, 1, 1));
    String poolId = findPool(warm).get("id").asText();
    warm(poolId, 1);
    String runId = start(warm, "{}");
    checked(runId, awaitRun(runId, 100, Duration.ofMinutes(10)), LEASES);
    JsonNode pool = pool(poolId);
    drain(poolId);
    double warmP50 = pool.get("leaseWaitP50Ms").asDouble();
    double warmP99 = pool.get("leaseWaitP99Ms").asDouble();

    String cold = "bench-pool-cold-" + suffix;
    register(
        parallel(
            cold,
            COLD_STARTS,
            "echo",
            "{n: 1}",
            runtime,
            null,
            1)); // one at a time: a cold start alone
    String coldRun = start(cold, "{}");
    List<JsonNode> coldJobs =
        checked(coldRun, awaitRun(coldRun, 100, Duration.ofMinutes(10)), COLD_STARTS);
    List<Double> acquire = new ArrayList<>();
    for (JsonNode job : coldJobs) {
      if (!job.hasNonNull("agentAcquireMs")) {
        throw new IllegalStateException(
            "job " + job.get("id").asText() + " of run " + coldRun + " has no agentAcquireMs");
      }
      acquire.add(job.get("agentAcquireMs").asDouble());
    }
    double coldP50 = ColdJobBenchmark.percentile(acquire, 50);

    System.out.printf("%-62s %10s %10s%n", "", "median ms", "p99 ms");
    System.out.printf(
        "%-62s %10.3f %10.3f%n",
        "warm lease, pool of 1, " + pool.get("leases").asLong() + " leases (pool's lease waits)",
        warmP50,
        warmP99);
    System.out.printf(
        "%-62s %10.1f %10.1f%n",
        "cold start, " + COLD_STARTS + " cold jobs (agentAcquireMs)",
        coldP50,
        ColdJobBenchmark.percentile(acquire, 99));
    System.out.printf(
        "%nratio cold / warm median: %s (goal: warm median <= 1 ms: %s; at least 100x below"
            + " cold: %s)%n",
        ratio(coldP50, warmP50),
        warmP50 <= 1 ? "met" : "NOT met",
        warmP50 * 100 <= coldP50 ? "met" : "NOT met");
    System.out.printf(
        "the warm figures include the fresh pool's first lease (its agent idle for over a second"
            + " since the warm-up: health-checked first); cold starts among the leases: %d%n",
        pool.get("coldStarts").asLong());
  }

  // ---- 2. tasks on pools of 5 and 20 beside cold ---------------------------------------------

  /**
   * One way to run the tasks: a warm pool of {@code poolSize} agents (null: cold agents), {@code
   * atOnce} tasks at a time, and a run time limit (null: none).
   */
  record Mode(String label, String definition, Integer poolSize, int atOnce, Duration limit) {}

  record ModeResult(
      Mode mode,
      String runId,
      String status,
      double wallSeconds,
      List<Double> jobMs,
      Double utilization,
      long coldStarts,
      long retried,
      long succeeded,
      long failed) {

    double tasksPerSecond() {
      return succeeded / wallSeconds;
    }
  }

  /** The cold run at 20 at once may not end on a small machine: it stops after this long. */
  static final Duration COLD_LIMIT = Duration.ofMinutes(4);

  private void tasks(String runtime, int tasks) throws Exception {
    System.out.printf(
        "%n2. %d tasks of sleep %d ms, %d at once, runtime %s%n",
        tasks, SLEEP_MS, PARALLEL, runtime);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Mode> modes =
        List.of(
            new Mode("pooled-5", "bench-pool-p5-" + suffix, 5, PARALLEL, null),
            new Mode("pooled-20", "bench-pool-p20-" + suffix, 20, PARALLEL, null),
            new Mode("cold", "bench-pool-c-" + suffix, null, PARALLEL, COLD_LIMIT),
            // the best a cold agent per task does here: one start per core at a time
            new Mode(
                "cold-" + cores, "bench-pool-cc-" + suffix, null, cores, Duration.ofMinutes(20)));
    List<ModeResult> results = new ArrayList<>();
    for (Mode mode : modes) {
      register(
          parallel(
              mode.definition,
              tasks,
              "sleep",
              "{ms: " + SLEEP_MS + "}",
              runtime,
              mode.poolSize,
              mode.atOnce,
              mode.limit));
      String poolId = null;
      JsonNode before = null;
      if (mode.poolSize != null) {
        poolId = findPool(mode.definition).get("id").asText();
        warm(poolId, mode.poolSize);
        before = pool(poolId);
      }
      String runId = start(mode.definition, "{}");
      // pooled: a short look, as the pool's agent seconds after the run's end count against its
      // utilization; the wall time comes from the server's clock either way
      JsonNode run = awaitRun(runId, poolId == null ? 100 : 20, Duration.ofMinutes(30));
      JsonNode after = poolId == null ? null : pool(poolId);
      // cold agents that miss their ready timeout on every attempt fail their task, and a cold
      // run may hit its time limit: both are counted (pooled runs must have every task succeed)
      List<JsonNode> jobs = checked(runId, run, tasks, poolId == null);
      if (poolId != null) {
        drain(poolId);
      }
      List<Double> jobMs = new ArrayList<>();
      long coldStarts = 0;
      long retried = 0;
      long succeeded = 0;
      long failed = 0;
      for (JsonNode job : jobs) {
        retried += Math.max(0, job.path("attempt").asInt(1) - 1);
        String status = job.get("status").asText();
        if (status.equals("FAILED")) {
          failed++;
        }
        if (!status.equals("SUCCEEDED")) {
          continue;
        }
        succeeded++;
        jobMs.add(millis(instant(job, "startedAt"), instant(job, "finishedAt")));
        if (job.path("coldStart").asBoolean(false)) {
          coldStarts++;
        }
      }
      Double utilization = null;
      if (before != null) {
        double busy = after.get("busySeconds").asDouble() - before.get("busySeconds").asDouble();
        double alive = after.get("agentSeconds").asDouble() - before.get("agentSeconds").asDouble();
        utilization = alive <= 0 ? 0 : busy / alive;
      }
      results.add(
          new ModeResult(
              mode,
              runId,
              run.get("status").asText(),
              millis(instant(run, "createdAt"), instant(run, "finishedAt")) / 1000,
              jobMs,
              utilization,
              coldStarts,
              retried,
              succeeded,
              failed));
    }

    System.out.printf(
        "%-10s %7s %8s %10s %9s %11s %11s %12s %12s %8s %7s%n",
        "mode",
        "at once",
        "wall s",
        "succeeded",
        "tasks/s",
        "job p50 ms",
        "job p99 ms",
        "utilization",
        "cold starts",
        "retried",
        "failed");
    for (ModeResult r : results) {
      System.out.printf(
          "%-10s %7d %8.2f %10s %9.2f %11.1f %11.1f %12s %12d %8d %7d%n",
          r.mode.label,
          r.mode.atOnce,
          r.wallSeconds,
          r.succeeded + "/" + tasks,
          r.tasksPerSecond(),
          r.jobMs.isEmpty() ? Double.NaN : ColdJobBenchmark.percentile(r.jobMs, 50),
          r.jobMs.isEmpty() ? Double.NaN : ColdJobBenchmark.percentile(r.jobMs, 99),
          r.utilization == null ? "-" : String.format("%.0f %%", r.utilization * 100),
          r.coldStarts,
          r.retried,
          r.failed);
    }
    ModeResult p5 = results.get(0);
    ModeResult p20 = results.get(1);
    ModeResult cold = results.get(2);
    ModeResult coldBest = results.get(3);
    System.out.printf(
        "%nspeed-up (tasks per second) pooled-5 / %s: %.1fx, pooled-20 / %s: %.1fx (the seed"
            + " asks 20-50x)%n",
        coldBest.mode.label,
        p5.tasksPerSecond() / coldBest.tasksPerSecond(),
        coldBest.mode.label,
        p20.tasksPerSecond() / coldBest.tasksPerSecond());
    System.out.printf(
        "speed-up (tasks per second) pooled-5 / cold at %d at once: %s, pooled-20: %s%n",
        PARALLEL,
        cold.succeeded == 0
            ? "unbounded (no cold task succeeded)"
            : String.format("%.1fx", p5.tasksPerSecond() / cold.tasksPerSecond()),
        cold.succeeded == 0
            ? "unbounded"
            : String.format("%.1fx", p20.tasksPerSecond() / cold.tasksPerSecond()));
    System.out.printf(
        "pool utilization during the run (busy / agent seconds): pooled-5 %.0f %%, pooled-20 %.0f"
            + " %% (the seed asks > 70 %%)%n",
        p5.utilization * 100, p20.utilization * 100);
    System.out.printf(
        "wall time: the run's createdAt -> finishedAt (server clock); job time: a job's startedAt"
            + " -> finishedAt, its agent's lease or start included%n");
    if (!cold.status.equals("SUCCEEDED") || cold.failed > 0) {
      System.out.printf(
          "cold at %d at once ended %s: %d tasks failed all 3 attempts (their agents missed the"
              + " server's ready timeout with %d JVMs starting on %d cores), %d never ran within"
              + " its %s limit%n",
          PARALLEL,
          cold.status,
          cold.failed,
          PARALLEL,
          cores,
          tasks - cold.succeeded - cold.failed,
          COLD_LIMIT);
    }
    StringBuilder runs = new StringBuilder("runs:");
    for (ModeResult r : results) {
      runs.append(' ').append(r.mode.label).append(' ').append(r.runId);
    }
    System.out.println(runs);
  }

  // ---- 3. fan-out beside db-scheduler ---------------------------------------------------------

  private void fanOut(int n, String pid, String schedulerUrl) throws Exception {
    System.out.printf(
        "%n3. fan-out: a map of %d echo tasks, %d at once on %d warm process agents, then a"
            + " reduce%n",
        n, FANOUT_AGENTS, FANOUT_AGENTS);
    Heap heapBefore = heap(pid);
    System.out.println("server heap after a full GC, before: " + heapBefore);

    String name = "bench-pool-fanout-" + suffix;
    String agent = "    agent: {image: " + IMAGE + ", handler: echo, runtime: process}\n";
    String pooled =
        "    executionMode: pooled\n    pool: {maxSize: " + FANOUT_AGENTS + ", warmUp: false}\n";
    register(
        "name: "
            + name
            + "\nmaxParallel: "
            + FANOUT_AGENTS
            + "\nsteps:\n"
            + "  - name: fan\n    kind: map\n    items: \"${input.items}\"\n"
            + agent
            + pooled
            + "    maxParallel: "
            + FANOUT_AGENTS
            + "\n"
            + "  - name: gather\n    kind: reduce\n    dependsOn: [fan]\n"
            + agent
            + pooled);
    String poolId = findPool(name).get("id").asText();
    warm(poolId, FANOUT_AGENTS);
    StringBuilder input = new StringBuilder("{\"items\":[");
    for (int i = 0; i < n; i++) {
      input.append(i == 0 ? "" : ",").append(i);
    }
    input.append("]}");
    String runId = start(name, input.toString());
    JsonNode run = awaitRun(runId, 100, Duration.ofMinutes(60));
    List<JsonNode> jobs = checked(runId, run, n + 1);
    drain(poolId);
    JsonNode reduce =
        jobs.stream()
            .filter(j -> "gather".equals(j.path("stepId").asText()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("run " + runId + " has no reduce job"));
    double flowSeconds = millis(instant(run, "createdAt"), instant(reduce, "startedAt")) / 1000;
    double flowRate = n / flowSeconds;

    SchedulerResult scheduler = dbScheduler(schedulerUrl, n);
    Heap heapAfter = heap(pid);

    System.out.printf("%-64s %12s %9s%n", "", "per second", "time s");
    System.out.printf(
        "%-64s %12.1f %9.2f%n",
        "Flow: " + n + " map jobs, run created -> the reduce's job started", flowRate, flowSeconds);
    System.out.printf(
        "%-64s %12.1f %9.2f%n",
        "db-scheduler: " + n + " one-time tasks, scheduler started -> all ran",
        n / scheduler.runSeconds,
        scheduler.runSeconds);
    System.out.printf(
        "%-64s %12.1f %9.2f%n",
        "db-scheduler: the same with their batch insert",
        n / (scheduler.insertSeconds + scheduler.runSeconds),
        scheduler.insertSeconds + scheduler.runSeconds);
    System.out.printf(
        "%nratio Flow / db-scheduler (started -> all ran): %.2f; with the insert: %.2f%n",
        flowRate / (n / scheduler.runSeconds),
        flowRate / (n / (scheduler.insertSeconds + scheduler.runSeconds)));
    System.out.printf(
        "(Flow's figure includes creating the %d jobs from the run's input; db-scheduler's first"
            + " row does not include inserting its %d rows, the second does)%n",
        n, n);
    System.out.println("server heap after a full GC, before part 3: " + heapBefore);
    System.out.println("server heap after a full GC, after part 3:  " + heapAfter);
    if (heapBefore.mb != null && heapAfter.mb != null) {
      System.out.printf("difference: %+.1f MB%n", heapAfter.mb - heapBefore.mb);
    }
  }

  record SchedulerResult(double insertSeconds, double runSeconds) {}

  /**
   * db-scheduler on a fresh {@code scheduled_tasks} table, dropped before and after: a warm-up
   * round (not counted), then {@code n} one-time tasks inserted in one batch before the scheduler
   * starts, timed from its start until all of them ran.
   */
  static SchedulerResult dbScheduler(String url, int n) throws Exception {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(url);
    pg.setUser(env("FLOW_DB_USER", "postgres"));
    pg.setPassword(env("FLOW_DB_PASSWORD", "postgres"));
    try (ReusingDataSource ds = new ReusingDataSource(pg)) {
      sql(ds, "drop table if exists scheduled_tasks");
      try {
        for (String statement : SCHEDULER_SCHEMA) {
          sql(ds, statement);
        }
        schedulerRound(ds, "bench-warm-up", Math.min(n, 1000)); // JIT, connections
        return schedulerRound(ds, "bench-noop", n);
      } finally {
        sql(ds, "drop table if exists scheduled_tasks");
      }
    }
  }

  private static SchedulerResult schedulerRound(DataSource ds, String taskName, int n)
      throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    OneTimeTask<Void> task = Tasks.oneTime(taskName).execute((instance, ctx) -> done.countDown());
    Scheduler scheduler =
        Scheduler.create(ds, task)
            .threads(SCHEDULER_THREADS)
            .pollingInterval(Duration.ofMillis(100))
            .pollUsingLockAndFetch(0.5, 3.0)
            .shutdownMaxWait(Duration.ofSeconds(30))
            .build();
    List<TaskInstance<?>> instances = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      instances.add(task.instance(Integer.toString(i)));
    }
    long t0 = System.nanoTime();
    scheduler.scheduleBatch(instances, Instant.now());
    long started = System.nanoTime();
    scheduler.start();
    try {
      if (!done.await(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "db-scheduler ran " + (n - done.getCount()) + " of " + n + " tasks in 30 minutes");
      }
      long end = System.nanoTime();
      return new SchedulerResult((started - t0) / 1e9, (end - started) / 1e9);
    } finally {
      scheduler.stop();
    }
  }

  private static void sql(DataSource ds, String statement) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /**
   * The database {@code postgres} on the server of {@code dbUrl} (host, port and parameters kept).
   */
  static String schedulerUrl(String dbUrl) {
    String prefix = "jdbc:postgresql://";
    if (!dbUrl.startsWith(prefix)) {
      return DEFAULT_DB_URL;
    }
    String rest = dbUrl.substring(prefix.length());
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query);
    String hostPart = query < 0 ? rest : rest.substring(0, query);
    int slash = hostPart.indexOf('/');
    String hosts = slash < 0 ? hostPart : hostPart.substring(0, slash);
    return prefix + hosts + "/postgres" + params;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * Connections of a {@link PGSimpleDataSource} kept and handed out again, as the connection pool
   * of any real deployment of db-scheduler would (the Flow server's are pooled too): without it
   * every statement of the scheduler would open a new PostgreSQL connection.
   */
  static final class ReusingDataSource implements DataSource, AutoCloseable {
    private final PGSimpleDataSource target;
    private final Queue<Connection> free = new ConcurrentLinkedQueue<>();
    private final List<Connection> opened = Collections.synchronizedList(new ArrayList<>());

    ReusingDataSource(PGSimpleDataSource target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection polled = free.poll();
      if (polled == null) {
        polled = target.getConnection();
        opened.add(polled);
      }
      Connection physical = polled;
      AtomicBoolean closed = new AtomicBoolean();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "close":
                    if (closed.compareAndSet(false, true)) {
                      if (!physical.getAutoCommit()) {
                        physical.rollback();
                        physical.setAutoCommit(true);
                      }
                      free.add(physical);
                    }
                    return null;
                  case "isClosed":
                    return closed.get();
                  case "equals":
                    return proxy == args[0];
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  case "toString":
                    return "reused " + physical;
                  default:
                    if (closed.get()) {
                      throw new SQLException("the connection is closed");
                    }
                    try {
                      return method.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                }
              });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("one user only");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }

    @Override
    public void close() {
      synchronized (opened) {
        for (Connection c : opened) {
          try {
            c.close();
          } catch (SQLException ignored) {
            // closing anyway
          }
        }
      }
    }
  }

  // ---- the server's heap ----------------------------------------------------------------------

  /** Used heap in MB, or why it is unknown. */
  record Heap(Double mb, String note) {
    @Override
    public String toString() {
      return mb == null ? "heap: unknown (" + note + ")" : String.format("%.1f MB used", mb);
    }
  }

  /** {@code jcmd <pid> GC.run}, then the used heap from {@code jcmd <pid> GC.heap_info}. */
  static Heap heap(String pid) {
    if (pid == null) {
      return new Heap(null, "no server pid");
    }
    try {
      String jcmd = jcmd();
      command(jcmd, pid, "GC.run");
      String info = command(jcmd, pid, "GC.heap_info");
      long used = usedHeapBytes(info);
      if (used < 0) {
        return new Heap(null, "GC.heap_info not understood: " + info.strip().replace('\n', ' '));
      }
      return new Heap(used / (1024.0 * 1024.0), null);
    } catch (Exception e) {
      return new Heap(null, e.getMessage());
    }
  }

  private static String jcmd() {
    Path java = ProcessHandle.current().info().command().map(Path::of).orElse(null);
    if (java != null && Files.isExecutable(java.resolveSibling("jcmd"))) {
      return java.resolveSibling("jcmd").toString();
    }
    Path home = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(home) ? home.toString() : "jcmd";
  }

  private static String command(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not end in 2 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed: "
              + out.lines()
                  .filter(l -> !l.isBlank() && !l.matches("\\d+:"))
                  .findFirst()
                  .orElse(""));
    }
    return out;
  }

  private static final Pattern USED_AFTER = Pattern.compile("used (\\d+)([KMG])");
  private static final Pattern USED_BEFORE = Pattern.compile("(\\d+)([KMG]) used");

  /**
   * The used heap in bytes from {@code GC.heap_info}: the sum of its top-level heap or generation
   * lines (G1, Parallel, Serial, ZGC, Shenandoah), Metaspace left out; -1 when none is found.
   */
  static long usedHeapBytes(String heapInfo) {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo.split("\\R")) {
      if (!line.startsWith(" ") || line.startsWith("  ")) {
        continue; // the top-level lines have one leading space; their details more
      }
      String trimmed = line.strip();
      if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
        continue;
      }
      Matcher m = USED_AFTER.matcher(trimmed);
      if (!m.find()) {
        m = USED_BEFORE.matcher(trimmed);
        if (!m.find()) {
          continue;
        }
      }
      long value = Long.parseLong(m.group(1));
      used +=
          switch (m.group(2)) {
            case "K" -> value * 1024;
            case "M" -> value * 1024 * 1024;
            default -> value * 1024 * 1024 * 1024;
          };
      found = true;
    }
    return found ? used : -1;
  }

  // ---- the server's API -----------------------------------------------------------------------

  /** docker when the server's health says the engine is up, else process. */
  private String runtime() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("health")).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "GET /api/health answered " + r.statusCode() + ": " + r.body());
    }
    JsonNode docker = JSON.readTree(r.body()).path("checks").path("docker");
    return "UP".equals(docker.path("status").asText()) ? "docker" : "process";
  }

  /** One {@code parallel} step {@code work}; pooled with a pool of {@code poolSize}, else cold. */
  private static String parallel(
      String name,
      int count,
      String handler,
      String input,
      String runtime,
      Integer poolSize,
      int maxParallel) {
    return parallel(name, count, handler, input, runtime, poolSize, maxParallel, null);
  }

  private static String parallel(
      String name,
      int count,
      String handler,
      String input,
      String runtime,
      Integer poolSize,
      int maxParallel,
      Duration limit) {
    return "name: "
        + name
        + (limit == null ? "" : "\ntimeout: " + limit)
        + "\nmaxParallel: "
        + maxParallel
        + "\nsteps:\n"
        + "  - name: work\n"
        + "    kind: parallel\n"
        + "    count: "
        + count
        + "\n    input: "
        + input
        + "\n    agent: {image: "
        + IMAGE
        + ", handler: "
        + handler
        + ", runtime: "
        + runtime
        + "}\n"
        + (poolSize == null
            ? "    executionMode: cold\n"
            : "    executionMode: pooled\n    pool: {maxSize: " + poolSize + ", warmUp: false}\n")
        // a cold agent among twenty booting at once may miss its ready timeout: it is tried again
        // (as a user would configure it), and a task that fails every attempt is tolerated and
        // counted; retried attempts are counted in the figures
        + "    retry: {maxAttempts: 3, initialDelay: PT1S}\n"
        + (poolSize == null ? "    tolerance: {maxFailures: " + count + "}\n" : "")
        + "    maxParallel: "
        + maxParallel
        + "\n";
  }

  private void register(String yaml) throws Exception {
    post("definitions", "application/yaml", yaml);
  }

  /** The pool of a definition's pooled step, declared when the definition was registered. */
  private JsonNode findPool(String definition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (int page = 0; ; page++) {
        JsonNode list = JSON.readTree(get("pools?size=500&page=" + page));
        for (JsonNode pool : list.get("items")) {
          if (definition.equals(pool.path("definition").asText())) {
            return pool;
          }
        }
        if ((long) (page + 1) * 500 >= list.get("total").asLong()) {
          break;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no pool of the definition " + definition + " after 10 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private JsonNode pool(String id) throws Exception {
    return JSON.readTree(get("pools/" + id));
  }

  /** Warms the pool to {@code size} agents and waits until all of them are idle. */
  private void warm(String poolId, int size) throws Exception {
    post("pools/" + poolId + "/warm", "application/json", "{\"size\":" + size + "}");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    JsonNode pool;
    while ((pool = pool(poolId)).get("idle").asInt() != size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the pool "
                + pool.get("name").asText()
                + " has "
                + pool.get("idle").asInt()
                + " idle agents of "
                + size
                + " after 5 minutes (starting "
                + pool.get("starting").asInt()
                + ", terminations "
                + pool.get("terminations")
                + ")");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Stops the pool's agents now that its figures are read: they would idle for minutes. */
  private void drain(String poolId) throws Exception {
    post("pools/" + poolId + "/drain", "application/json", "{}");
  }

  private String start(String definition, String input) throws Exception {
    return JSON.readTree(
            post(
                "definitions/" + definition + "/runs",
                "application/json",
                "{\"input\":" + input + "}"))
        .get("id")
        .asText();
  }

  private JsonNode awaitRun(String runId, long pollMillis, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonNode run;
    while (!FINAL.contains(
        (run = JSON.readTree(get("workflows/" + runId))).get("status").asText())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the run " + runId + " is still " + run.get("status").asText() + " after " + limit);
      }
      TimeUnit.MILLISECONDS.sleep(pollMillis);
    }
    return run;
  }

  /**
   * The run's jobs, after checking that it succeeded and that it has exactly {@code expected} jobs,
   * every one succeeded.
   */
  private List<JsonNode> checked(String runId, JsonNode run, int expected) throws Exception {
    return checked(runId, run, expected, false);
  }

  /** As {@link #checked(String, JsonNode, int)}; with {@code tolerant}, failed jobs are allowed. */
  private List<JsonNode> checked(String runId, JsonNode run, int expected, boolean tolerant)
      throws Exception {
    if (!tolerant && !"SUCCEEDED".equals(run.get("status").asText())) {
      throw new IllegalStateException(
          "the run " + runId + " ended " + run.get("status").asText() + ": " + run.get("error"));
    }
    List<JsonNode> jobs = new ArrayList<>();
    long total;
    int page = 0;
    do {
      JsonNode list = JSON.readTree(get("workflows/" + runId + "/jobs?size=500&page=" + page++));
      list.get("items").forEach(jobs::add);
      total = list.get("total").asLong();
    } while (jobs.size() < total && page * 500L < total);
    if (total != expected || jobs.size() != expected) {
      throw new IllegalStateException(
          "the run "
              + runId
              + " has "
              + total
              + " jobs (listed "
              + jobs.size()
              + "), expected "
              + expected);
    }
    for (JsonNode job : jobs) {
      if (!tolerant && !"SUCCEEDED".equals(job.get("status").asText())) {
        throw new IllegalStateException(
            "the run "
                + runId
                + ": job "
                + job.get("id").asText()
                + " (step "
                + job.path("stepId").asText()
                + ", task "
                + job.path("taskId").asText()
                + ") ended "
                + job.get("status").asText()
                + ": "
                + job.get("error"));
      }
    }
    return jobs;
  }

  private String post(String path, String type, String body) throws Exception {
    URI uri = base.resolve(path);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private String get(String path) throws Exception {
    URI uri = base.resolve(path);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  // ---- figures ------------------------------------------------------------------------------

  private static Instant instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalStateException("no " + field + " in " + node);
    }
    return Instant.parse(value.asText());
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static String ratio(double numerator, double denominator) {
    return denominator <= 0
        ? "unbounded (warm median 0 ms)"
        : String.format("%.0fx", numerator / denominator);
  }
}
