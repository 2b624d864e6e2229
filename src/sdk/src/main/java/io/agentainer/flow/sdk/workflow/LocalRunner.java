package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.agent.TaskFailure;
import io.agentainer.flow.sdk.client.JobRef;
import io.agentainer.flow.sdk.client.JobRequest;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Workflow} class in process, for tests: the same structure checks as compiling it,
 * steps in dependency order (independent steps, and the tasks of a parallel or map step, on
 * threads), the state in memory with the server's semantics, retries, tolerance, child workflows,
 * and {@link MockAgent}s for steps that run other images.
 *
 * <pre>{@code
 * LocalRun run = LocalRunner.of(new Etl())
 *     .withState("seen", 0)
 *     .run(Map.of("source", "s3://bucket/data"))
 *     .assertSucceeded();
 * }</pre>
 *
 * <p>Differences from a server: no agent images, timeouts or backoff pauses (retries follow at
 * once); expressions support paths, literals, comparisons and logic ({@link LocalExpressions}).
 */
public final class LocalRunner {

  private final Object workflow;
  private final WorkflowModel model;
  private final Map<String, MockAgent> mocks = new ConcurrentHashMap<>();
  private final Map<String, Object> initialState = new LinkedHashMap<>();
  private int threads = 8;

  private LocalRunner(Object workflow) {
    this.workflow = workflow;
    this.model = WorkflowModel.of(workflow.getClass(), "local");
  }

  /**
   * A runner of {@code workflow}, an instance of a {@link Workflow} class.
   *
   * @throws WorkflowDefinitionException when the class is not a valid workflow
   */
  public static LocalRunner of(Object workflow) {
    return new LocalRunner(workflow);
  }

  /** A runner of a new instance of {@code type} (no-argument constructor). */
  public static LocalRunner of(Class<?> type) {
    return new LocalRunner(WorkflowAgent.instantiate(type));
  }

  /** A stand-in for {@code image}: its steps and child jobs are answered by the mock. */
  public MockAgent mockAgent(String image) {
    return mocks.computeIfAbsent(image, i -> new MockAgent(this, i));
  }

  /** Starts runs with {@code key} set to {@code value}. */
  public LocalRunner withState(String key, Object value) {
    initialState.put(key, value);
    return this;
  }

  /** Starts runs with these keys set. */
  public LocalRunner withState(Map<String, ?> state) {
    initialState.putAll(state);
    return this;
  }

  /** Most tasks at once (8 unless set). */
  public LocalRunner threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.threads = threads;
    return this;
  }

  /** Runs the workflow on {@code input} to the end. */
  public LocalRun run(Object input) {
    return start(input).runToEnd();
  }

  /**
   * A run on {@code input} that has not run any step yet: call {@link LocalRun#next()} to run one
   * step at a time.
   *
   * @throws IllegalArgumentException when the input does not fit the workflow's typed input, naming
   *     the field
   */
  public LocalRun start(Object input) {
    JsonNode in = input == null ? NullNode.getInstance() : Bindings.JSON.valueToTree(input);
    checkInput(in);
    return new LocalRun(new Execution(in, new MemoryState(initialState)));
  }

  private void checkInput(JsonNode input) {
    if (model.input == Void.class) {
      return;
    }
    if (!input.isObject()) {
      throw new IllegalArgumentException("input: must be an object");
    }
    for (RecordComponent c : model.input.getRecordComponents()) {
      if (c.getType() != Optional.class
          && (!input.has(c.getName()) || input.get(c.getName()).isNull())) {
        throw new IllegalArgumentException("input." + c.getName() + ": required");
      }
      if (input.has(c.getName())) {
        try {
          Bindings.JSON.convertValue(
              input.get(c.getName()), Bindings.JSON.constructType(c.getGenericType()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "input." + c.getName() + ": does not fit " + c.getType().getSimpleName());
        }
      }
    }
  }

  /** The steps of one run, as they go. */
  final class Execution {
    private final String runId = UUID.randomUUID().toString();
    private final JsonNode input;
    private final MemoryState state;
    private final Map<String, LocalRun.StepOutcome> outcomes = new LinkedHashMap<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    private final Map<Class<?>, Object> targets = new ConcurrentHashMap<>();
    private final AtomicInteger jobs = new AtomicInteger();
    private String error;

    Execution(JsonNode input, MemoryState state) {
      this.input = input;
      this.state = state;
      targets.put(workflow.getClass(), workflow);
      events.add("run.started");
    }

    MemoryState state() {
      return state;
    }

    synchronized Map<String, LocalRun.StepOutcome> outcomes() {
      return new LinkedHashMap<>(outcomes);
    }

    List<String> events() {
      return events;
    }

    List<String> logs() {
      return logs;
    }

    synchronized String error() {
      return error;
    }

    synchronized boolean hasNext() {
      return error == null && outcomes.size() < model.steps.size();
    }

    synchronized LocalRun.Status status() {
      if (error != null) {
        return LocalRun.Status.FAILED;
      }
      return outcomes.size() == model.steps.size()
          ? LocalRun.Status.SUCCEEDED
          : LocalRun.Status.PENDING;
    }

    synchronized JsonNode output() {
      List<String> sinks = new ArrayList<>();
      for (StepModel s : model.steps.values()) {
        boolean dependedOn =
            model.steps.values().stream().anyMatch(o -> o.dependsOn().contains(s.name()));
        LocalRun.StepOutcome outcome = outcomes.get(s.name());
        if (!dependedOn && outcome != null && outcome.status() == LocalRun.Status.SUCCEEDED) {
          sinks.add(s.name());
        }
      }
      if (sinks.size() == 1) {
        return outcomes.get(sinks.get(0)).output();
      }
      ObjectNode out = Bindings.JSON.createObjectNode();
      sinks.forEach(s -> out.set(s, outcomes.get(s).output()));
      return out;
    }

    private synchronized List<StepModel> ready() {
      List<StepModel> ready = new ArrayList<>();
      for (StepModel s : model.steps.values()) {
        if (!outcomes.containsKey(s.name())
            && s.dependsOn().stream().allMatch(outcomes::containsKey)) {
          ready.add(s);
        }
      }
      return ready;
    }

    LocalRun.StepOutcome next() {
      if (!hasNext()) {
        throw new IllegalStateException("no step left: the run is " + status());
      }
      LocalRun.StepOutcome outcome = runStep(ready().get(0));
      finish(List.of(outcome));
      return outcome;
    }

    void runToEnd() {
      ExecutorService pool = Executors.newCachedThreadPool();
      try {
        while (hasNext()) {
          List<Future<LocalRun.StepOutcome>> running = new ArrayList<>();
          for (StepModel step : ready()) {
            running.add(pool.submit(() -> runStep(step)));
          }
          List<LocalRun.StepOutcome> done = new ArrayList<>();
          for (Future<LocalRun.StepOutcome> f : running) {
            done.add(await(f));
          }
          finish(done);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    private synchronized void finish(List<LocalRun.StepOutcome> done) {
      for (LocalRun.StepOutcome outcome : done) {
        outcomes.put(outcome.name(), outcome);
        if (outcome.status() == LocalRun.Status.FAILED && error == null) {
          error = "step " + outcome.name() + " failed: " + outcome.error();
        }
      }
      if (error != null) {
        events.add("run.failed");
      } else if (outcomes.size() == model.steps.size()) {
        events.add("run.succeeded");
      }
    }

    private LocalRun.StepOutcome runStep(StepModel step) {
      Map<String, JsonNode> results = new HashMap<>();
      synchronized (this) {
        outcomes.forEach(
            (name, o) -> {
              if (o.status() == LocalRun.Status.SUCCEEDED) {
                results.put(name, o.output());
              }
            });
      }
      LocalExpressions expressions = new LocalExpressions(input, results, state.snapshot());
      if (step.when() != null && !expressions.test(step.when())) {
        events.add("step.skipped " + step.name());
        return new LocalRun.StepOutcome(
            step.name(), LocalRun.Status.SKIPPED, NullNode.getInstance(), List.of(), null);
      }
      events.add("step.started " + step.name());
      LocalRun.StepOutcome outcome;
      try {
        outcome = execute(step, expressions, results);
      } catch (IllegalArgumentException e) {
        outcome = failed(step, List.of(), "expression_error: " + e.getMessage());
      }
      events.add(
          "step." + outcome.status().name().toLowerCase(java.util.Locale.ROOT) + " " + step.name());
      return outcome;
    }

    private LocalRun.StepOutcome execute(
        StepModel step, LocalExpressions expressions, Map<String, JsonNode> results) {
      if (step.kind() == StepModel.Kind.WORKFLOW) {
        return child(step, expressions);
      }
      ObjectNode template = Bindings.JSON.createObjectNode();
      template.set("input", input);
      ObjectNode named = template.putObject("results");
      for (StepModel.Param p : step.params()) {
        if (p.source() == StepModel.Source.RESULT) {
          named.set(p.step(), results.getOrDefault(p.step(), NullNode.getInstance()));
        }
      }
      List<JsonNode> inputs = new ArrayList<>();
      JsonNode upstream = null;
      switch (step.kind()) {
        case PARALLEL -> {
          for (int i = 0; i < step.count(); i++) {
            inputs.add(template.deepCopy().put("index", i));
          }
        }
        case MAP -> {
          JsonNode items = expressions.evaluate(step.items());
          if (!items.isArray()) {
            return failed(
                step,
                List.of(),
                "expression_error: items must be a list, got " + items.getNodeType());
          }
          for (int i = 0; i < items.size(); i++) {
            ObjectNode in = template.deepCopy();
            in.set("item", items.get(i));
            in.put("index", i);
            inputs.add(in);
          }
        }
        case REDUCE -> {
          inputs.add(template);
          upstream = upstream(step);
        }
        default -> inputs.add(template);
      }
      List<LocalRun.Task> tasks = runTasks(step, inputs, upstream);
      long failures = tasks.stream().filter(t -> t.status() != LocalRun.Status.SUCCEEDED).count();
      boolean fanOut = step.kind() == StepModel.Kind.PARALLEL || step.kind() == StepModel.Kind.MAP;
      if (failures > Math.max(0, step.maxFailures())) {
        LocalRun.Task first =
            tasks.stream().filter(t -> t.status() != LocalRun.Status.SUCCEEDED).findFirst().get();
        return failed(
            step,
            tasks,
            fanOut
                ? failures
                    + " of "
                    + tasks.size()
                    + " tasks failed, more than the step tolerates ("
                    + first.error()
                    + ")"
                : first.error());
      }
      JsonNode output;
      if (fanOut) {
        ArrayNode list = Bindings.JSON.createArrayNode();
        tasks.forEach(t -> list.add(t.output() == null ? NullNode.getInstance() : t.output()));
        output = list;
      } else {
        output = tasks.get(0).output();
      }
      return new LocalRun.StepOutcome(step.name(), LocalRun.Status.SUCCEEDED, output, tasks, null);
    }

    private ArrayNode upstream(StepModel reduce) {
      ArrayNode list = Bindings.JSON.createArrayNode();
      Map<String, LocalRun.StepOutcome> done = outcomes();
      for (String dep : reduce.dependsOn()) {
        LocalRun.StepOutcome o = done.get(dep);
        for (LocalRun.Task t : o.tasks()) {
          ObjectNode r = list.addObject();
          r.put("taskId", t.taskId());
          if (reduce.dependsOn().size() > 1) {
            r.put("stepId", dep);
          }
          r.put("status", t.status().name());
          if (t.status() == LocalRun.Status.SUCCEEDED) {
            r.set("output", t.output());
          } else {
            r.putObject("error").put("message", t.error());
          }
        }
      }
      return list;
    }

    private List<LocalRun.Task> runTasks(StepModel step, List<JsonNode> inputs, JsonNode upstream) {
      if (inputs.size() == 1) {
        return List.of(task(step, 0, inputs.get(0), upstream));
      }
      int width = Math.min(threads, step.maxParallel() > 0 ? step.maxParallel() : threads);
      ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, width));
      try {
        List<Future<LocalRun.Task>> futures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
          int taskId = i;
          futures.add(pool.submit(() -> task(step, taskId, inputs.get(taskId), upstream)));
        }
        List<LocalRun.Task> tasks = new ArrayList<>();
        for (Future<LocalRun.Task> f : futures) {
          tasks.add(await(f));
        }
        return tasks;
      } finally {
        pool.shutdownNow();
      }
    }

    private LocalRun.Task task(StepModel step, int taskId, JsonNode in, JsonNode upstream) {
      MockAgent mock = mocks.get(step.image());
      String lastError = null;
      for (int attempt = 1; attempt <= step.attempts(); attempt++) {
        String jobId = runId + "/" + step.name() + "/" + taskId + "/" + jobs.incrementAndGet();
        LocalContext context = new LocalContext(step.name(), taskId, jobId, attempt);
        try {
          Object output =
              mock != null
                  ? mock.answer(new MockAgent.Call(step.name(), taskId, attempt, in))
                  : Bindings.invoke(
                      step,
                      targets.computeIfAbsent(step.owner(), WorkflowAgent::instantiate),
                      new Bindings.Call(context, in, upstream));
          JsonNode out = Bindings.JSON.valueToTree(output);
          return new LocalRun.Task(
              taskId,
              LocalRun.Status.SUCCEEDED,
              attempt,
              out == null ? NullNode.getInstance() : out,
              null);
        } catch (TaskFailure f) {
          lastError = f.type() + ": " + f.getMessage();
          if (!f.retryable()) {
            return new LocalRun.Task(taskId, LocalRun.Status.FAILED, attempt, null, lastError);
          }
        } catch (Exception e) {
          lastError = "unexpected: " + e;
        }
        if (attempt == step.attempts()) {
          return new LocalRun.Task(taskId, LocalRun.Status.FAILED, attempt, null, lastError);
        }
      }
      throw new IllegalStateException("unreachable");
    }

    private LocalRun.StepOutcome child(StepModel step, LocalExpressions expressions) {
      JsonNode childInput =
          step.childInput() == null ? input : expressions.evaluate(step.childInput());
      LocalRunner runner = LocalRunner.of(step.child()).threads(threads);
      runner.mocks.putAll(mocks);
      LocalRun run = runner.run(childInput);
      events.add("child.ended " + step.name() + " " + run.status());
      if (run.status() != LocalRun.Status.SUCCEEDED) {
        return failed(step, List.of(), "child workflow failed: " + run.error().orElse("?"));
      }
      return new LocalRun.StepOutcome(
          step.name(), LocalRun.Status.SUCCEEDED, run.output(), List.of(), null);
    }

    private LocalRun.StepOutcome failed(StepModel step, List<LocalRun.Task> tasks, String why) {
      return new LocalRun.StepOutcome(
          step.name(), LocalRun.Status.FAILED, NullNode.getInstance(), tasks, why);
    }

    private <T> T await(Future<T> future) {
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a step's runner failed: " + e.getCause(), e.getCause());
      }
    }

    /** {@link Context} of a local task. */
    private final class LocalContext implements Context {
      private final String stepId;
      private final int taskId;
      private final String jobId;
      private final int attempt;

      LocalContext(String stepId, int taskId, String jobId, int attempt) {
        this.stepId = stepId;
        this.taskId = taskId;
        this.jobId = jobId;
        this.attempt = attempt;
      }

      @Override
      public Optional<String> workflowId() {
        return Optional.of(runId);
      }

      @Override
      public String stepId() {
        return stepId;
      }

      @Override
      public int taskId() {
        return taskId;
      }

      @Override
      public String jobId() {
        return jobId;
      }

      @Override
      public int attempt() {
        return attempt;
      }

      @Override
      public State state() {
        return state;
      }

      @Override
      public JobRef startJob(JobRequest request) {
        MockAgent mock = mocks.get(request.agent().image());
        if (mock == null) {
          throw TaskFailure.permanent(
              "not_mocked",
              "local mode runs child jobs on mock agents: mockAgent(\""
                  + request.agent().image()
                  + "\")");
        }
        String id = runId + "/job/" + jobs.incrementAndGet();
        try {
          mock.answer(new MockAgent.Call(stepId, 0, 1, request.input()));
          events.add("job.succeeded " + id);
          return new JobRef(id, "SUCCEEDED");
        } catch (RuntimeException e) {
          events.add("job.failed " + id);
          return new JobRef(id, "FAILED");
        }
      }

      @Override
      public Log log() {
        String prefix = stepId + "[" + taskId + "] ";
        return new Log() {
          @Override
          public void info(String message) {
            logs.add(prefix + message);
          }

          @Override
          public void warn(String message) {
            logs.add(prefix + "WARN " + message);
          }
        };
      }

      @Override
      public boolean isCancelled() {
        return Thread.currentThread().isInterrupted();
      }
    }
  }
}
