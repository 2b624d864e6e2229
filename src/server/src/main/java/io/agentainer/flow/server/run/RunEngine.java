package io.agentainer.flow.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.server.agent.AgentRuntimes;
import io.agentainer.flow.server.definition.AgentSpec;
import io.agentainer.flow.server.definition.RetrySpec;
import io.agentainer.flow.server.definition.StepKind;
import io.agentainer.flow.server.definition.StepSpec;
import io.agentainer.flow.server.definition.WorkflowSpec;
import io.agentainer.flow.server.event.EventLog;
import io.agentainer.flow.server.job.ExecutionMode;
import io.agentainer.flow.server.job.Job;
import io.agentainer.flow.server.job.JobError;
import io.agentainer.flow.server.job.JobErrors;
import io.agentainer.flow.server.job.JobEvent;
import io.agentainer.flow.server.job.JobRepository;
import io.agentainer.flow.server.job.JobSpec;
import io.agentainer.flow.server.job.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Advances runs through their DAG. Every decision happens inside the transaction that caused it,
 * with the run's row locked: a job's end, its step's counters, the step's outcome and the next
 * steps' jobs commit together. Nothing here waits or polls; the job dispatcher is woken after the
 * commit.
 */
@ApplicationScoped
public class RunEngine {

  @Inject io.agentainer.flow.server.state.StateStore state;

  @Inject RunRepository runs;
  @Inject JobRepository jobs;
  @Inject SpecSource specs;
  @Inject AgentRuntimes runtimes;
  @Inject io.agentainer.flow.server.pool.PoolManager pools;
  @Inject EventLog events;
  @Inject EntityManager em;
  @Inject Clock clock;
  @Inject Event<JobEvent> jobEvents;
  @Inject Event<RunEnded> runEnded;

  private final ObjectMapper json = new ObjectMapper();
  private final Expressions expressions = new Expressions(json);

  /** A run ended (after commit: for waiters and streams). */
  public record RunEnded(UUID runId, RunStatus status) {}

  // ---- starting ---------------------------------------------------------------------------

  /**
   * Creates the steps of a new run and starts what has no dependencies. In the caller's
   * transaction.
   */
  public void begin(WorkflowRun run, WorkflowSpec spec) {
    for (StepSpec step : spec.steps()) {
      runs.add(StepRun.pending(run.id(), step.name(), step.kind().wire(), step.maxParallel()));
    }
    em.flush();
    events.record(run.id(), null, null, "run.started", Map.of("status", run.status().name()));
    warmPools(run, spec);
    advance(run, spec);
  }

  /**
   * Warms the pools of the run's pooled steps that ask for it, before their first task: as many
   * agents as the step will run at once (one for a task or reduce, the count of a parallel step,
   * else the step's {@code maxParallel}, else the run's), never more than the pool's {@code
   * maxSize}, never fewer than its {@code minSize}.
   */
  private void warmPools(WorkflowRun run, WorkflowSpec spec) {
    for (StepSpec step : spec.steps()) {
      if (step.pooled() && step.agent() != null && step.poolSpec().warmsOnRunStart()) {
        io.agentainer.flow.server.pool.Pool pool = poolOf(spec, step);
        var policy = pool.policy();
        Integer parallel = step.maxParallel() != null ? step.maxParallel() : run.maxParallel();
        int wanted =
            switch (step.kind()) {
              case TASK, REDUCE -> 1;
              case PARALLEL -> step.parallelTasks();
              default -> policy.maxSize();
            };
        if (parallel != null) {
          wanted = Math.min(wanted, parallel);
        }
        int target = Math.min(policy.maxSize(), wanted);
        int started = pools.warm(pool.id(), Math.max(policy.minSize(), target));
        if (started > 0) {
          events.record(
              run.id(),
              step.name(),
              null,
              "pool.warming",
              Map.of("pool", pool.name(), "starting", started));
        }
      }
    }
  }

  private io.agentainer.flow.server.pool.Pool poolOf(WorkflowSpec spec, StepSpec step) {
    String runtime = runtimes.choose(step.agent().runtime()).name();
    return pools.declare(
        io.agentainer.flow.server.pool.PoolKey.forStep(
            runtime, step.agent(), spec.name(), step.poolSpec().isShared()),
        step.poolSpec(),
        false);
  }

  // ---- advancing --------------------------------------------------------------------------

  /**
   * Starts every step whose dependencies are done, skips what cannot run, ends the run when all
   * ended.
   */
  public void advance(WorkflowRun run, WorkflowSpec spec) {
    if (run.status() != RunStatus.RUNNING) {
      return;
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, StepRun> steps = byName(runs.steps(run.id()));
      Map<String, String> chosenBy = branchChoices(spec, steps);
      for (StepSpec stepSpec : spec.steps()) {
        StepRun step = steps.get(stepSpec.name());
        if (step == null || step.status() != StepStatus.PENDING) {
          continue;
        }
        Readiness readiness = readiness(stepSpec, spec, steps, chosenBy);
        switch (readiness) {
          case WAIT -> {
            continue;
          }
          case BLOCKED -> {
            step.cancel(error("upstream_failed", "a step it depends on did not succeed"), clock);
            events.record(
                run.id(), step.name(), null, "step.cancelled", Map.of("reason", "upstream_failed"));
          }
          case NOT_CHOSEN -> {
            step.skip(clock);
            events.record(run.id(), step.name(), null, "step.skipped", Map.of("reason", "branch"));
          }
          case READY -> startStep(run, spec, stepSpec, step, steps);
        }
        changed = true;
        break; // look again: what this step did may decide the next ones (a branch's choice)
      }
    }
    finishIfDone(run, spec);
  }

  private enum Readiness {
    WAIT,
    READY,
    BLOCKED,
    NOT_CHOSEN
  }

  private Readiness readiness(
      StepSpec step, WorkflowSpec spec, Map<String, StepRun> steps, Map<String, String> chosenBy) {
    for (String dependency : dependencies(step, spec)) {
      StepRun upstream = steps.get(dependency);
      if (upstream == null || !upstream.status().isFinal()) {
        return Readiness.WAIT;
      }
      if (!upstream.status().letsDependantsRun()) {
        return Readiness.BLOCKED;
      }
    }
    String branch = branchOf(step.name(), spec);
    if (branch != null) {
      String chosen = chosenBy.get(step.name());
      if (chosen == null) {
        return Readiness.NOT_CHOSEN;
      }
    }
    return Readiness.READY;
  }

  /** A step's dependencies: its {@code dependsOn}, and the branch step that lists it. */
  static List<String> dependencies(StepSpec step, WorkflowSpec spec) {
    List<String> all = new ArrayList<>(step.dependsOn());
    String branch = branchOf(step.name(), spec);
    if (branch != null && !all.contains(branch)) {
      all.add(branch);
    }
    return all;
  }

  private static String branchOf(String stepName, WorkflowSpec spec) {
    for (StepSpec s : spec.steps()) {
      if (s.kind() == StepKind.BRANCH
          && (contains(s.then(), stepName) || contains(s.otherwise(), stepName))) {
        return s.name();
      }
    }
    return null;
  }

  private static boolean contains(List<String> names, String name) {
    return names != null && names.contains(name);
  }

  /** Which steps the finished branches chose: step name to the branch that chose it. */
  private Map<String, String> branchChoices(WorkflowSpec spec, Map<String, StepRun> steps) {
    Map<String, String> chosen = new HashMap<>();
    for (StepSpec s : spec.steps()) {
      if (s.kind() != StepKind.BRANCH) {
        continue;
      }
      StepRun branch = steps.get(s.name());
      if (branch == null || branch.status() != StepStatus.SUCCEEDED) {
        continue;
      }
      JsonNode output = read(branch.output());
      boolean then = output != null && output.path("branch").asText().equals("then");
      List<String> names = then ? s.then() : s.otherwise();
      if (names != null) {
        names.forEach(n -> chosen.put(n, s.name()));
      }
    }
    return chosen;
  }

  private void startStep(
      WorkflowRun run,
      WorkflowSpec spec,
      StepSpec stepSpec,
      StepRun step,
      Map<String, StepRun> steps) {
    Expressions.Scope scope = scope(run, steps);
    try {
      // a branch's when chooses between then and else; any other step's when decides whether it
      // runs
      if (stepSpec.kind() != StepKind.BRANCH
          && stepSpec.when() != null
          && !expressions.test(stepSpec.when(), scope)) {
        step.skip(clock);
        events.record(run.id(), step.name(), null, "step.skipped", Map.of("reason", "when"));
        return;
      }
      switch (stepSpec.kind()) {
        case BRANCH -> {
          step.start(0, null, clock);
          boolean then =
              expressions.test(stepSpec.when() == null ? "true" : stepSpec.when(), scope);
          step.succeed(
              json.createObjectNode().put("branch", then ? "then" : "else").toString(), clock);
          events.record(
              run.id(),
              step.name(),
              null,
              "step.succeeded",
              Map.of("branch", then ? "then" : "else"));
        }
        case WORKFLOW -> startChild(run, stepSpec, step, scope);
        default -> startTasks(run, spec, stepSpec, step, steps, scope);
      }
    } catch (Expressions.ExpressionException e) {
      if (step.status() == StepStatus.PENDING) {
        step.start(0, null, clock);
      }
      step.fail(error("expression_error", "step " + step.name() + ": " + e.getMessage()), clock);
      events.record(run.id(), step.name(), null, "step.failed", Map.of("reason", e.getMessage()));
    }
  }

  private void startTasks(
      WorkflowRun run,
      WorkflowSpec spec,
      StepSpec stepSpec,
      StepRun step,
      Map<String, StepRun> steps,
      Expressions.Scope scope) {
    List<JsonNode> inputs = new ArrayList<>();
    String results = null;
    switch (stepSpec.kind()) {
      case TASK -> inputs.add(expressions.resolve(stepSpec.input(), scope));
      case PARALLEL -> {
        if (stepSpec.params() != null) {
          for (int i = 0; i < stepSpec.params().size(); i++) {
            inputs.add(withIndex(expressions.resolve(stepSpec.params().get(i), scope), null, i));
          }
        } else {
          JsonNode template = expressions.resolve(stepSpec.input(), scope);
          for (int i = 0; i < stepSpec.count(); i++) {
            inputs.add(withIndex(template, null, i));
          }
        }
      }
      case MAP -> {
        JsonNode items = json.valueToTree(expressions.evaluate(stepSpec.items(), scope));
        if (items == null || !items.isArray()) {
          throw new Expressions.ExpressionException(
              stepSpec.items(),
              "items must be a list, got " + (items == null ? "nothing" : items.getNodeType()));
        }
        JsonNode template = expressions.resolve(stepSpec.input(), scope);
        for (int i = 0; i < items.size(); i++) {
          inputs.add(withIndex(template, items.get(i), i));
        }
      }
      case REDUCE -> {
        inputs.add(expressions.resolve(stepSpec.input(), scope));
        results = upstreamResults(run.id(), stepSpec, spec).toString();
      }
      default -> throw new IllegalStateException("not a task step: " + stepSpec.kind());
    }
    step.start(inputs.size(), stepSpec.timeout(), clock);
    events.record(run.id(), step.name(), null, "step.started", Map.of("tasks", inputs.size()));
    if (inputs.isEmpty()) {
      step.succeed("[]", clock);
      events.record(run.id(), step.name(), null, "step.succeeded", Map.of("tasks", 0));
      return;
    }
    AgentSpec agent = stepSpec.agent();
    String runtime = runtimes.choose(agent.runtime()).name();
    String agentConfig = agentConfig(agent, stepSpec.retry());
    boolean fanOut = stepSpec.kind() == StepKind.PARALLEL || stepSpec.kind() == StepKind.MAP;
    UUID poolId = stepSpec.pooled() ? poolOf(spec, stepSpec).id() : null;
    Map<Integer, Integer> earlierAttempts = new HashMap<>();
    if (step.attempt() > 1) { // the run is retried: attempt numbers go on from the earlier jobs
      finalAttempts(run.id(), step.name())
          .forEach(j -> earlierAttempts.put(j.taskId() == null ? 0 : j.taskId(), j.attempt()));
    }
    for (int i = 0; i < inputs.size(); i++) {
      Job job =
          Job.queue(
              new JobSpec(
                  null,
                  run.id(),
                  step.name(),
                  fanOut || stepSpec.kind() == StepKind.TASK || stepSpec.kind() == StepKind.REDUCE
                      ? i
                      : null,
                  null,
                  agent.image(),
                  agent.handler(),
                  runtime,
                  agentConfig,
                  inputs.get(i).toString(),
                  results,
                  poolId == null ? ExecutionMode.COLD : ExecutionMode.POOLED,
                  stepSpec.timeout(),
                  Math.max(1, stepSpec.retry().maxAttempts()),
                  0,
                  poolId),
              clock);
      if (earlierAttempts.containsKey(i)) {
        job.continueFromAttempt(earlierAttempts.get(i));
      }
      jobs.add(job);
      events.record(run.id(), step.name(), job.id(), "job.queued", Map.of("taskId", i));
    }
    jobEvents.fire(new JobEvent.Queued(null)); // wakes the dispatcher once this commits
  }

  private ObjectNode withIndex(JsonNode template, JsonNode item, int index) {
    ObjectNode input =
        template != null && template.isObject()
            ? ((ObjectNode) template).deepCopy()
            : json.createObjectNode();
    if (template != null && !template.isObject() && !template.isNull()) {
      input.set("value", template);
    }
    if (item != null) {
      input.set("item", item);
    }
    input.put("index", index);
    return input;
  }

  private String agentConfig(AgentSpec agent, RetrySpec retry) {
    ObjectNode config = json.createObjectNode();
    if (agent.env() != null && !agent.env().isEmpty()) {
      config.set("env", json.valueToTree(agent.env()));
    }
    if (agent.cpus() != null) {
      config.put("cpus", agent.cpus());
    }
    if (agent.memoryMb() != null) {
      config.put("memoryMb", agent.memoryMb());
    }
    if (retry != null && retry.maxAttempts() > 1) {
      ObjectNode r = config.putObject("retry");
      r.put("backoff", retry.backoff());
      r.put(
          "initialDelayMs", retry.initialDelay() == null ? 1000 : retry.initialDelay().toMillis());
      r.put("maxDelayMs", retry.maxDelay() == null ? 60_000 : retry.maxDelay().toMillis());
      r.put("jitter", retry.jitter());
    }
    return config.isEmpty() ? null : config.toString();
  }

  /** A reduce's input: each upstream task's result in step order, then {@code taskId} order. */
  private ArrayNode upstreamResults(UUID runId, StepSpec reduce, WorkflowSpec spec) {
    ArrayNode results = json.createArrayNode();
    for (String upstream : reduce.dependsOn()) {
      for (Job job : finalAttempts(runId, upstream)) {
        ObjectNode r = results.addObject();
        r.put("taskId", job.taskId() == null ? 0 : job.taskId());
        if (reduce.dependsOn().size() > 1) {
          r.put("stepId", upstream);
        }
        r.put("status", job.status().name());
        if (job.status() == JobStatus.SUCCEEDED) {
          r.set("output", read(job.output()));
        } else {
          r.set("error", json.valueToTree(JobErrors.parse(job.error()).orElse(null)));
        }
      }
    }
    return results;
  }

  /** The last attempt of each task of a step, in {@code taskId} order. */
  private List<Job> finalAttempts(UUID runId, String step) {
    Map<Integer, Job> byTask = new LinkedHashMap<>();
    for (Job job : jobs.listOfWorkflow(runId, Set.of(), 0, Integer.MAX_VALUE)) {
      if (step.equals(job.stepId())) {
        int task = job.taskId() == null ? 0 : job.taskId();
        Job seen = byTask.get(task);
        if (seen == null
            || job.attempt() > seen.attempt()
            || job.queuedAt().isAfter(seen.queuedAt())) {
          byTask.put(task, job);
        }
      }
    }
    return new ArrayList<>(byTask.values());
  }

  private void startChild(
      WorkflowRun run, StepSpec stepSpec, StepRun step, Expressions.Scope scope) {
    JsonNode input = expressions.resolve(stepSpec.workflow().input(), scope);
    WorkflowRun child = children.startChild(stepSpec.workflow(), input, run.id(), step.name());
    step.start(1, stepSpec.timeout(), clock);
    step.child(child.id());
    events.record(
        run.id(), step.name(), null, "step.started", Map.of("childRun", child.id().toString()));
  }

  @Inject ChildRuns children;

  // ---- a job ended ---------------------------------------------------------------------------

  /** A job of a run's step ended: count it, decide the step, go on. Same transaction. */
  void onJobEnded(@Observes(during = TransactionPhase.IN_PROGRESS) JobEvent.Ended ended) {
    Job job = jobs.find(ended.jobId()).orElse(null);
    if (job == null || job.workflowId() == null || job.stepId() == null) {
      return;
    }
    String type = "job." + ended.status().name().toLowerCase(java.util.Locale.ROOT);
    if (ended.status() == JobStatus.QUEUED) {
      type = "job.retrying";
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("taskId", job.taskId());
    payload.put("attempt", job.attempt());
    JobErrors.parse(job.error()).ifPresent(e -> payload.put("error", e.type()));
    events.record(job.workflowId(), job.stepId(), job.id(), type, payload);
    if (!ended.status().isFinal() || job.stepId().contains("/")) {
      return; // a retry is queued, or a child job a step started itself
    }
    WorkflowRun run = runs.lock(job.workflowId()).orElse(null);
    if (run == null || run.status() != RunStatus.RUNNING) {
      return;
    }
    WorkflowSpec spec = specs.spec(run.definitionId());
    StepRun step = byName(runs.steps(run.id())).get(job.stepId());
    StepSpec stepSpec = spec.step(job.stepId()).orElse(null);
    if (step == null || stepSpec == null || step.status() != StepStatus.RUNNING) {
      return;
    }
    step.taskEnded(ended.status() == JobStatus.SUCCEEDED);
    if (step.total() > 1) {
      events.record(
          run.id(),
          step.name(),
          null,
          "step.progress",
          Map.of("total", step.total(), "succeeded", step.succeeded(), "failed", step.failed()));
    }
    decide(run, spec, stepSpec, step);
  }

  private void decide(WorkflowRun run, WorkflowSpec spec, StepSpec stepSpec, StepRun step) {
    if (stepSpec.tolerance().alreadyLost(step.failed(), step.total())) {
      step.fail(
          error(
              "tolerance_exceeded",
              step.failed()
                  + " of "
                  + step.total()
                  + " tasks failed, more than the step tolerates"),
          clock);
      events.record(
          run.id(),
          step.name(),
          null,
          "step.failed",
          Map.of("failed", step.failed(), "total", step.total()));
      cancelOpenJobs(run.id(), step.name(), "the step failed");
      advance(run, spec);
      return;
    }
    if (!step.allTasksEnded()) {
      return;
    }
    if (stepSpec.tolerance().accepts(step.succeeded(), step.failed(), step.total())) {
      step.succeed(stepOutput(run.id(), stepSpec).toString(), clock);
      events.record(
          run.id(),
          step.name(),
          null,
          "step.succeeded",
          Map.of("succeeded", step.succeeded(), "failed", step.failed()));
    } else {
      step.fail(
          error("step_failed", step.failed() + " of " + step.total() + " tasks failed"), clock);
      events.record(
          run.id(),
          step.name(),
          null,
          "step.failed",
          Map.of("failed", step.failed(), "total", step.total()));
    }
    advance(run, spec);
  }

  /**
   * A task's output; a fan-out's outputs as a list in {@code taskId} order (null for a failure).
   */
  private JsonNode stepOutput(UUID runId, StepSpec stepSpec) {
    List<Job> attempts = finalAttempts(runId, stepSpec.name());
    if (stepSpec.kind() == StepKind.PARALLEL || stepSpec.kind() == StepKind.MAP) {
      ArrayNode outputs = json.createArrayNode();
      attempts.forEach(
          j -> outputs.add(j.status() == JobStatus.SUCCEEDED ? read(j.output()) : json.nullNode()));
      return outputs;
    }
    if (attempts.isEmpty()) {
      return json.nullNode();
    }
    JsonNode output = read(attempts.get(0).output());
    return output == null ? json.nullNode() : output;
  }

  /** Cancels the queued and running jobs of a step (or of the whole run when step is null). */
  void cancelOpenJobs(UUID runId, String step, String reason) {
    for (Job job :
        jobs.listOfWorkflow(
            runId, Set.of(JobStatus.QUEUED, JobStatus.RUNNING), 0, Integer.MAX_VALUE)) {
      if (step != null && !step.equals(job.stepId()) && !job.stepId().startsWith(step + "/")) {
        continue;
      }
      boolean wasRunning = job.status() == JobStatus.RUNNING;
      job.cancel(JobErrors.json(new JobError("cancelled", reason, false)), clock);
      jobEvents.fire(new JobEvent.Cancelled(job.id(), wasRunning));
      events.record(runId, job.stepId(), job.id(), "job.cancelled", Map.of("reason", reason));
    }
  }

  // ---- ending --------------------------------------------------------------------------------

  private void finishIfDone(WorkflowRun run, WorkflowSpec spec) {
    List<StepRun> steps = runs.steps(run.id());
    if (steps.stream().anyMatch(s -> !s.status().isFinal())) {
      return;
    }
    List<StepRun> failed = steps.stream().filter(s -> !s.status().letsDependantsRun()).toList();
    if (failed.isEmpty()) {
      run.succeed(runOutput(spec, byName(steps)).toString(), clock);
    } else {
      StepRun first =
          failed.stream()
              .filter(s -> s.status() != StepStatus.CANCELLED)
              .findFirst()
              .orElse(failed.get(0));
      run.fail(
          error(
              "step_failed",
              "step "
                  + first.name()
                  + " "
                  + first.status().name().toLowerCase(java.util.Locale.ROOT)
                  + (first.error() == null ? "" : ": " + message(first.error()))),
          clock);
    }
    ended(run);
  }

  /** Records the end of a run and tells its parent step, if it is a child. */
  void ended(WorkflowRun run) {
    events.record(
        run.id(),
        null,
        null,
        "run." + run.status().name().toLowerCase(java.util.Locale.ROOT),
        Map.of());
    runEnded.fire(new RunEnded(run.id(), run.status()));
    if (run.parentRunId() != null) {
      children.childEnded(run);
    }
  }

  /** The output of the last step(s): those no other step depends on. */
  private JsonNode runOutput(WorkflowSpec spec, Map<String, StepRun> steps) {
    Set<String> dependedOn = new HashSet<>();
    spec.steps().forEach(s -> dependedOn.addAll(dependencies(s, spec)));
    List<StepRun> sinks =
        spec.steps().stream()
            .filter(s -> !dependedOn.contains(s.name()) && s.kind() != StepKind.BRANCH)
            .map(s -> steps.get(s.name()))
            .filter(s -> s != null && s.status() == StepStatus.SUCCEEDED)
            .toList();
    if (sinks.size() == 1) {
      JsonNode output = read(sinks.get(0).output());
      return output == null ? json.nullNode() : output;
    }
    ObjectNode outputs = json.createObjectNode();
    sinks.forEach(s -> outputs.set(s.name(), read(s.output())));
    return outputs;
  }

  // ---- helpers -------------------------------------------------------------------------------

  Expressions.Scope scope(WorkflowRun run, Map<String, StepRun> steps) {
    Map<String, JsonNode> results = new HashMap<>();
    steps.values().stream()
        .filter(s -> s.status() == StepStatus.SUCCEEDED && s.output() != null)
        .forEach(s -> results.put(s.name(), read(s.output())));
    UUID runId = run.id();
    return new Expressions.Scope(read(run.input()), results, () -> state(runId));
  }

  /**
   * The run's state, read on the transaction's own connection (no second one while it holds the
   * run).
   */
  private Map<String, JsonNode> state(UUID runId) {
    java.sql.Connection connection = em.unwrap(java.sql.Connection.class);
    return new HashMap<>(
        connection != null ? state.snapshot(connection, runId) : state.snapshot(runId));
  }

  static Map<String, StepRun> byName(List<StepRun> steps) {
    Map<String, StepRun> map = new LinkedHashMap<>();
    steps.forEach(s -> map.put(s.name(), s));
    return map;
  }

  JsonNode read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return json.getNodeFactory().textNode(text);
    }
  }

  private String message(String errorJson) {
    JsonNode error = read(errorJson);
    return error != null && error.has("message") ? error.get("message").asText() : errorJson;
  }

  static String error(String type, String message) {
    return JobErrors.json(new JobError(type, message, false));
  }
}
