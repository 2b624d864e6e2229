package io.agentainer.flow.server.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.server.agent.AgentClient;
import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentLabels;
import io.agentainer.flow.server.agent.AgentLaunch;
import io.agentainer.flow.server.agent.AgentRuntime;
import io.agentainer.flow.server.agent.AgentRuntimes;
import io.agentainer.flow.server.agent.AgentStartException;
import io.agentainer.flow.server.agent.TaskOutcome;
import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.pool.AgentPool;
import io.agentainer.flow.server.pool.PoolManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one claimed attempt of a job. On a cold agent: start the agent, wait until it answers, send
 * the task, record the outcome, keep the logs, remove the agent. On a pooled one: lease an agent of
 * the job's pool, send the task, give the agent back (or have it removed when the task crashed it
 * or ran out of time), record the outcome. Knows the agents of the jobs it is running, so a cancel
 * can stop them at once.
 */
@ApplicationScoped
public class JobRunner {

  private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

  @Inject AgentRuntimes runtimes;
  @Inject AgentClient agentClient;
  @Inject JobCompletion completion;
  @Inject FlowSettings settings;
  @Inject JobTokens tokens;
  @Inject PoolManager pools;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<UUID, Running> running = new ConcurrentHashMap<>();

  /** A job this node is running, and its agent once started. */
  private static final class Running {
    volatile AgentHandle agent;
    volatile AgentRuntime runtime;
    volatile boolean cancelled;
    volatile AgentPool.Lease lease;
    volatile UUID poolId;
    final AtomicBoolean returned = new AtomicBoolean();
  }

  /** The jobs this node is running now. */
  public Set<UUID> runningJobs() {
    return Set.copyOf(running.keySet());
  }

  /** Whether {@code agentId} serves a job this node is running. */
  public boolean ownsAgent(UUID agentId) {
    return running.values().stream()
        .anyMatch(r -> r.agent != null && r.agent.agentId().equals(agentId));
  }

  public void run(ClaimedJob job, String nodeId) {
    Running state = new Running();
    running.put(job.id(), state);
    try {
      execute(job, nodeId, state);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "job " + job.id() + " failed in the engine", e);
      safeFinish(
          job,
          JobOutcome.of(
              new TaskOutcome.Failed("engine_error", "internal error: " + e.getMessage(), true)),
          null,
          null,
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      safeFinish(
          job,
          JobOutcome.of(new TaskOutcome.Failed("node_stopped", "the server node stopped", true)),
          null,
          null,
          null);
    } finally {
      running.remove(job.id());
      AgentHandle agent = state.agent;
      if (state.lease != null) {
        giveBack(state, AgentPool.Return.CRASHED); // ended abnormally: the agent may be mid-task
      } else if (agent != null) {
        stopQuietly(state.runtime, agent);
      }
    }
  }

  private void execute(ClaimedJob job, String nodeId, Running state) throws InterruptedException {
    AgentRuntime runtime = runtimes.get(job.runtime());
    state.runtime = runtime;
    if (job.pooled()) {
      executePooled(job, state, runtime);
      return;
    }
    UUID agentId = UUID.randomUUID();
    long start = System.nanoTime();
    AgentHandle agent;
    try {
      agent = runtime.start(launch(job, agentId, nodeId));
    } catch (AgentStartException e) {
      completion.finish(
          job.id(),
          job.attempt(),
          JobOutcome.of(new TaskOutcome.Failed(e.type(), e.getMessage(), e.retryable())),
          null,
          null,
          null);
      return;
    }
    state.agent = agent;
    completion.agentStarted(agent, job.image(), nodeId, job.id());
    if (state.cancelled) {
      return;
    }
    boolean ready =
        agentClient.awaitReady(
            agent.endpoint(), settings.agentReadyTimeout(), () -> runtime.isRunning(agent));
    long acquireMillis = (System.nanoTime() - start) / 1_000_000;
    TaskOutcome outcome;
    if (!ready) {
      OptionalInt exit = waitForExit(runtime, agent);
      outcome =
          new TaskOutcome.Failed(
              "agent_unavailable",
              exit.isPresent()
                  ? "the agent exited before it was ready (exit code " + exit.getAsInt() + ")"
                  : "the agent did not answer its health check within "
                      + settings.agentReadyTimeout().toSeconds()
                      + " s",
              true);
    } else if (!completion.agentReady(job.id(), job.attempt(), agentId, acquireMillis)) {
      return; // cancelled while the agent started
    } else {
      outcome = agentClient.send(agent.endpoint(), task(job), job.timeout());
    }
    if (state.cancelled) {
      return;
    }
    long answered = System.nanoTime();
    Integer exitCode = null;
    if (outcome instanceof TaskOutcome.Lost) {
      OptionalInt exit = waitForExit(runtime, agent);
      exitCode = exit.isPresent() ? exit.getAsInt() : null;
    }
    String logs = runtime.logs(agent, JobCompletion.MAX_LOG_CHARS);
    long logsRead = System.nanoTime();
    stopQuietly(runtime, agent);
    long removed = System.nanoTime();
    state.agent = null;
    finishRetrying(job, new JobOutcome(outcome, exitCode), logs, agentId, exitCode);
    if (LOG.isLoggable(Level.FINE)) {
      long done = System.nanoTime();
      LOG.fine(
          String.format(
              "job %s: agent ready %d ms, task %d ms, logs %d ms, removal %d ms, record %d ms",
              job.id(),
              acquireMillis,
              (answered - start) / 1_000_000 - acquireMillis,
              (logsRead - answered) / 1_000_000,
              (removed - logsRead) / 1_000_000,
              (done - removed) / 1_000_000));
    }
  }

  private void executePooled(ClaimedJob job, Running state, AgentRuntime runtime)
      throws InterruptedException {
    long start = System.nanoTime();
    Object run = job.workflowId() != null ? job.workflowId() : job.id();
    state.poolId = job.poolId();
    for (int refused = 0; ; refused++) {
      AgentPool.Lease lease;
      try {
        lease = pools.lease(job.poolId(), run);
      } catch (AgentPool.ExhaustedException e) {
        finishPooled(job, failed("pool_exhausted", e.getMessage(), true), null, start, null);
        return;
      } catch (AgentPool.ClosedException e) {
        finishPooled(job, failed("node_stopped", e.getMessage(), true), null, start, null);
        return;
      } catch (AgentStartException e) {
        finishPooled(job, failed(e.type(), e.getMessage(), e.retryable()), null, start, null);
        return;
      }
      state.returned.set(false);
      state.lease = lease;
      state.agent = lease.agent();
      if (state.cancelled) {
        giveBack(state, AgentPool.Return.CANCELLED);
        return;
      }
      long acquired = System.nanoTime();
      TaskOutcome outcome = agentClient.send(lease.agent().endpoint(), task(job), job.timeout());
      if (state.cancelled) {
        giveBack(state, AgentPool.Return.CANCELLED);
        return;
      }
      if (outcome instanceof TaskOutcome.Lost lost && !lost.delivered() && refused < 3) {
        giveBack(state, AgentPool.Return.UNREACHABLE); // never reached it: another agent takes it
        continue;
      }
      AgentPool.Return how =
          outcome instanceof TaskOutcome.Lost
              ? AgentPool.Return.CRASHED
              : outcome instanceof TaskOutcome.TimedOut
                  ? AgentPool.Return.TIMED_OUT
                  : AgentPool.Return.ANSWERED;
      String logs =
          how == AgentPool.Return.CRASHED
              ? runtime.logs(lease.agent(), JobCompletion.MAX_LOG_CHARS)
              : null;
      giveBack(state, how);
      finishPooled(job, JobOutcome.of(outcome), lease, start, logs);
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine(
            String.format(
                "job %s: pooled agent leased in %.3f ms, task %.3f ms",
                job.id(), (acquired - start) / 1e6, (System.nanoTime() - acquired) / 1e6));
      }
      return;
    }
  }

  private static JobOutcome failed(String type, String message, boolean retryable) {
    return JobOutcome.of(new TaskOutcome.Failed(type, message, retryable));
  }

  /** Gives the leased agent back once, however many paths try. */
  private void giveBack(Running state, AgentPool.Return how) {
    AgentPool.Lease lease = state.lease;
    if (lease != null && state.returned.compareAndSet(false, true)) {
      state.lease = null;
      state.agent = null;
      try {
        pools.giveBack(state.poolId, lease, how);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot give back pooled agent " + lease.agent().agentId(), e);
      }
    }
  }

  /**
   * Records the end of a pooled attempt; a transaction that lost a deadlock or a concurrent update
   * is tried again, at most three times.
   */
  private void finishPooled(
      ClaimedJob job, JobOutcome outcome, AgentPool.Lease lease, long start, String logs) {
    long acquireMillis =
        lease == null ? (System.nanoTime() - start) / 1_000_000 : lease.waitNanos() / 1_000_000;
    RuntimeException last = null;
    for (int i = 0; i < 3; i++) {
      try {
        completion.finishPooled(
            job.id(),
            job.attempt(),
            outcome,
            lease == null ? null : lease.agent().agentId(),
            acquireMillis,
            lease != null && lease.coldStart(),
            logs);
        return;
      } catch (RuntimeException e) {
        last = e;
        LOG.log(Level.FINE, "recording the end of job " + job.id() + " failed; trying again", e);
      }
    }
    throw last;
  }

  /**
   * A job was cancelled: ask its agent to stop the task, keep its logs and remove it now. The
   * attempt's own thread then finds the job no longer current and records nothing more.
   */
  public void cancelled(UUID jobId) {
    Running state = running.get(jobId);
    if (state == null) {
      return;
    }
    state.cancelled = true;
    AgentHandle agent = state.agent;
    if (agent == null) {
      return;
    }
    agentClient.cancel(agent.endpoint(), jobId.toString());
    if (state.lease != null) {
      giveBack(state, AgentPool.Return.CANCELLED); // the pool removes it: it may still be busy
      return;
    }
    String logs = state.runtime.logs(agent, JobCompletion.MAX_LOG_CHARS);
    stopQuietly(state.runtime, agent);
    state.agent = null;
    completion.agentRemoved(jobId, logs, agent.agentId(), "cancelled");
  }

  /** Stops every agent this node runs jobs on (the node is shutting down). */
  public void stopAll() {
    running.forEach(
        (jobId, state) -> {
          state.cancelled = false;
          AgentHandle agent = state.agent;
          if (agent != null) {
            stopQuietly(state.runtime, agent);
          }
        });
  }

  private AgentLaunch launch(ClaimedJob job, UUID agentId, String nodeId) {
    Map<String, String> labels = new HashMap<>();
    labels.put(AgentLabels.JOB, job.id().toString());
    labels.put(AgentLabels.NODE, nodeId);
    labels.put(AgentLabels.AGENT, agentId.toString());
    if (job.workflowId() != null) {
      labels.put(AgentLabels.WORKFLOW, job.workflowId().toString());
    }
    Map<String, String> env = new HashMap<>();
    JsonNode config = parse(job.agentConfig());
    Double cpus = null;
    Integer memoryMb = null;
    if (config != null) {
      config.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      cpus = config.hasNonNull("cpus") ? config.get("cpus").asDouble() : null;
      memoryMb = config.hasNonNull("memoryMb") ? config.get("memoryMb").asInt() : null;
    }
    env.put("FLOW_JOB_ID", job.id().toString());
    putIfPresent(env, "FLOW_WORKFLOW_ID", job.workflowId());
    putIfPresent(env, "FLOW_STEP_ID", job.stepId());
    putIfPresent(env, "FLOW_TASK_ID", job.taskId());
    putIfPresent(env, "FLOW_PARENT_JOB_ID", job.parentJobId());
    putIfPresent(env, "FLOW_HANDLER", job.handler());
    env.put("FLOW_API", tokens.apiUrl());
    env.put("FLOW_TOKEN", tokens.issue(job));
    env.put("TRACEPARENT", traceparent(job.id()));
    return new AgentLaunch(agentId, job.image(), env, labels, cpus, memoryMb);
  }

  ObjectNode task(ClaimedJob job) {
    ObjectNode task = json.createObjectNode();
    task.put("jobId", job.id().toString());
    task.put("workflowId", job.workflowId() == null ? null : job.workflowId().toString());
    task.put("stepId", job.stepId());
    if (job.taskId() == null) {
      task.putNull("taskId");
    } else {
      task.put("taskId", job.taskId());
    }
    task.put("parentJobId", job.parentJobId() == null ? null : job.parentJobId().toString());
    task.put("attempt", job.attempt());
    task.put("handler", job.handler());
    JsonNode input = parse(job.input());
    task.set("input", input == null ? json.nullNode() : input);
    JsonNode results = parse(job.results());
    if (results != null) {
      task.set("results", results);
    }
    JsonNode checkpoint = parse(job.checkpoint());
    if (checkpoint != null) {
      task.set("checkpoint", checkpoint);
    }
    ObjectNode flow = task.putObject("flow");
    flow.put("api", tokens.apiUrl());
    flow.put("token", tokens.issue(job));
    flow.put("traceparent", traceparent(job.id()));
    return task;
  }

  private static String traceparent(UUID jobId) {
    String trace = jobId.toString().replace("-", "");
    return "00-" + trace + "-" + trace.substring(0, 16) + "-01";
  }

  private JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  private static void putIfPresent(Map<String, String> env, String name, Object value) {
    if (value != null) {
      env.put(name, value.toString());
    }
  }

  /**
   * Records the end; a transaction that lost a deadlock or a concurrent update is tried again (the
   * decision is made afresh from the rows), at most three times.
   */
  private void finishRetrying(
      ClaimedJob job, JobOutcome outcome, String logs, UUID agentId, Integer exitCode) {
    RuntimeException last = null;
    for (int i = 0; i < 3; i++) {
      try {
        completion.finish(job.id(), job.attempt(), outcome, logs, agentId, exitCode);
        return;
      } catch (RuntimeException e) {
        last = e;
        LOG.log(Level.FINE, "recording the end of job " + job.id() + " failed; trying again", e);
      }
    }
    throw last;
  }

  /** A crashed agent's container or process may take a moment to be reported as exited. */
  private static OptionalInt waitForExit(AgentRuntime runtime, AgentHandle agent)
      throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < deadline) {
      OptionalInt exit = runtime.exitCode(agent);
      if (exit.isPresent()) {
        return exit;
      }
      if (!runtime.isRunning(agent)) {
        return runtime.exitCode(agent);
      }
      Thread.sleep(20); // no exit event to wait on from the runtime
    }
    return OptionalInt.empty();
  }

  private void safeFinish(
      ClaimedJob job, JobOutcome outcome, String logs, UUID agentId, Integer exitCode) {
    try {
      completion.finish(job.id(), job.attempt(), outcome, logs, agentId, exitCode);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "cannot record the end of job " + job.id(), e);
    }
  }

  private static void stopQuietly(AgentRuntime runtime, AgentHandle agent) {
    try {
      runtime.stop(agent);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot remove agent " + agent.agentId(), e);
    }
  }

  /** For tests. */
  Optional<AgentHandle> agentOf(UUID jobId) {
    Running state = running.get(jobId);
    return state == null ? Optional.empty() : Optional.ofNullable(state.agent);
  }
}
