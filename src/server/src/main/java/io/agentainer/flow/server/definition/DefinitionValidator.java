package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a definition must follow beyond its shape, each problem naming the step and field:
 * names, references between steps, cycles, what each kind needs, limits, expressions. Collects
 * every problem, not just the first.
 */
public final class DefinitionValidator {

  /** A definition's name (also of the child of a {@code workflow} step). */
  public static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

  /** A step's name: it becomes the jobs' {@code stepId} and is read in EL as {@code results.X}. */
  public static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Names that would shadow a path of {@code /api/definitions}. */
  public static final Set<String> RESERVED_NAMES = Set.of("schema", "validate");

  /** The most tasks one {@code parallel} step may have. */
  public static final int MAX_TASKS = 100_000;

  static final Pattern IMAGE =
      Pattern.compile("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?");
  static final Pattern HANDLER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private DefinitionValidator() {}

  /** Every problem of {@code spec}; empty when it may be registered. */
  public static List<Problem> validate(WorkflowSpec spec) {
    Problems problems = new Problems();
    validate(spec, problems);
    return problems.list();
  }

  static void validate(WorkflowSpec spec, Problems problems) {
    new Run(spec, problems).check();
  }

  /** One validation: the spec, its steps by name and the problems found. */
  private static final class Run {
    private final WorkflowSpec spec;
    private final Problems problems;
    private final List<String> paths;
    private final StepGraph graph;

    Run(WorkflowSpec spec, Problems problems) {
      this.spec = spec;
      this.problems = problems;
      this.paths = StepPaths.of(spec.steps().stream().map(StepSpec::name).toList());
      this.graph = new StepGraph(spec.steps());
    }

    void check() {
      workflow();
      names();
      for (int i = 0; i < spec.steps().size(); i++) {
        if (!refused(i)) {
          step(spec.steps().get(i), paths.get(i));
        }
      }
      for (List<String> cycle : graph.cycles()) {
        problems.add(
            paths.get(graph.position(cycle.get(0))) + ".dependsOn",
            "dependency cycle: " + String.join(" -> ", cycle) + " (each step depends on the next)");
      }
    }

    private void workflow() {
      definitionName("name", spec.name());
      if (spec.name() != null && RESERVED_NAMES.contains(spec.name())) {
        problems.add("name", "'" + spec.name() + "' is reserved; choose another name");
      }
      positive("timeout", spec.timeout());
      atLeastOne("maxParallel", spec.maxParallel());
      positive("retention", spec.retention());
      for (Problem p : InputValidator.schemaProblems(spec.parameters(), "parameters")) {
        problems.add(p.path(), p.message());
      }
      if (spec.steps().isEmpty()) {
        problems.add("steps", "at least one step is required");
      }
    }

    private void definitionName(String path, String name) {
      if (name == null || name.isBlank()) {
        problems.add(path, "required");
      } else if (!NAME.matcher(name).matches()) {
        problems.add(
            path,
            "must be 1 to 64 lower-case letters, digits, _ or - ([a-z0-9_-]{1,64}), got '"
                + name
                + "'");
      }
    }

    private void names() {
      Map<String, Integer> first = new HashMap<>();
      for (int i = 0; i < spec.steps().size(); i++) {
        String name = spec.steps().get(i).name();
        String path = paths.get(i) + ".name";
        if (refused(i)) {
          continue;
        } else if (name == null || name.isBlank()) {
          problems.add(path, "required");
        } else if (!STEP_NAME.matcher(name).matches()) {
          problems.add(
              path,
              "must be 1 to 64 letters, digits, _ or - ([A-Za-z0-9_-]{1,64}), got '" + name + "'");
        } else if (first.containsKey(name)) {
          problems.add(
              path, "duplicate step name '" + name + "' (also steps[" + first.get(name) + "])");
        } else {
          first.put(name, i);
        }
      }
    }

    /** Whether the reader refused the whole entry at position {@code i} (it is no object). */
    private boolean refused(int i) {
      return problems.has(paths.get(i));
    }

    private void step(StepSpec step, String path) {
      dependsOn(step, path);
      if (step.when() != null) {
        expression(path + ".when", step.when(), step);
      }
      positive(path + ".timeout", step.timeout());
      StepKind kind = step.kind();
      if (kind == null) {
        return; // the reader said why; what the step needs depends on its kind
      }
      if (kind.runsJobs()) {
        jobs(step, path);
      }
      switch (kind) {
        case PARALLEL -> parallel(step, path);
        case MAP -> map(step, path);
        case REDUCE -> reduce(step, path);
        case BRANCH -> branch(step, path);
        case WORKFLOW -> workflowStep(step, path);
        case TASK -> {}
      }
    }

    private void dependsOn(StepSpec step, String path) {
      Set<String> seen = new HashSet<>();
      for (int k = 0; k < step.dependsOn().size(); k++) {
        String target = step.dependsOn().get(k);
        String at = path + ".dependsOn[" + k + "]";
        if (!seen.add(target)) {
          problems.add(at, "'" + target + "' is listed twice");
        } else if (target.equals(step.name())) {
          problems.add(at, "a step cannot depend on itself");
        } else if (!graph.has(target)) {
          problems.add(at, "unknown step '" + target + "'");
        }
      }
    }

    private void jobs(StepSpec step, String path) {
      String kind = step.kind().wire();
      AgentSpec agent = step.agent();
      if (agent == null) {
        problems.add(path + ".agent", "required for a " + kind + " step: {image, handler}");
      } else {
        agent(agent, path + ".agent", kind);
      }
      if (step.input() != null) {
        templates(path + ".input", step.input(), step);
      }
      String mode = step.executionMode();
      if (!StepSpec.COLD.equals(mode) && !StepSpec.POOLED.equals(mode)) {
        problems.add(path + ".executionMode", "must be cold or pooled, got '" + mode + "'");
      } else if (step.pool() != null && !step.pooled()) {
        problems.add(path + ".pool", "only for executionMode pooled");
      } else if (step.pooled()) {
        PoolSpec.read(step.pool(), path + ".pool", problems::add);
      }
      atLeastOne(path + ".maxParallel", step.maxParallel());
      retry(step.retry(), path + ".retry");
      tolerance(step.tolerance(), path + ".tolerance");
    }

    private void agent(AgentSpec agent, String path, String kind) {
      if (agent.image() == null || agent.image().isBlank()) {
        problems.add(
            path + ".image",
            "required for a " + kind + " step, e.g. agentainer/example-agent:latest");
      } else if (!IMAGE.matcher(agent.image()).matches()) {
        problems.add(path + ".image", "not an image name: '" + agent.image() + "'");
      }
      if (agent.handler() != null && !HANDLER.matcher(agent.handler()).matches()) {
        problems.add(
            path + ".handler",
            "letters, digits, . _ - only, at most 64, got '" + agent.handler() + "'");
      }
      if (agent.runtime() != null
          && !agent.runtime().equals("docker")
          && !agent.runtime().equals("process")) {
        problems.add(path + ".runtime", "must be docker or process, got '" + agent.runtime() + "'");
      }
      if (agent.cpus() != null && (!(agent.cpus() > 0) || agent.cpus() > 64)) {
        problems.add(
            path + ".cpus", "must be more than 0 and at most 64, got " + number(agent.cpus()));
      }
      if (agent.memoryMb() != null && (agent.memoryMb() < 16 || agent.memoryMb() > 1_048_576)) {
        problems.add(path + ".memoryMb", "must be between 16 and 1048576, got " + agent.memoryMb());
      }
      for (String key : agent.env().keySet()) {
        if (!ENV_NAME.matcher(key).matches()) {
          problems.add(path + ".env." + key, "not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
        } else if (key.startsWith("FLOW_") || key.equals("TRACEPARENT")) {
          problems.add(path + ".env." + key, "set by the server; choose another name");
        }
      }
    }

    private void retry(RetrySpec retry, String path) {
      if (retry.maxAttempts() < 1) {
        problems.add(path + ".maxAttempts", "must be at least 1, got " + retry.maxAttempts());
      }
      if (!RetrySpec.EXPONENTIAL.equals(retry.backoff())
          && !RetrySpec.FIXED.equals(retry.backoff())) {
        problems.add(
            path + ".backoff", "must be exponential or fixed, got '" + retry.backoff() + "'");
      }
      if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
        problems.add(
            path + ".maxDelay",
            "must not be shorter than initialDelay ("
                + retry.initialDelay()
                + "), got "
                + retry.maxDelay());
      }
      if (!(retry.jitter() >= 0 && retry.jitter() <= 1)) {
        problems.add(path + ".jitter", "must be between 0 and 1, got " + number(retry.jitter()));
      }
    }

    private void tolerance(ToleranceSpec tolerance, String path) {
      Double ratio = tolerance.minSuccessRatio();
      Integer failures = tolerance.maxFailures();
      if (ratio != null && failures != null) {
        problems.add(path, "give minSuccessRatio or maxFailures, not both");
      }
      if (ratio != null && !(ratio > 0 && ratio <= 1)) {
        problems.add(
            path + ".minSuccessRatio", "must be more than 0 and at most 1, got " + number(ratio));
      }
      if (failures != null && failures < 0) {
        problems.add(path + ".maxFailures", "must be 0 or more, got " + failures);
      }
    }

    private void parallel(StepSpec step, String path) {
      if (step.count() != null && step.params() != null) {
        problems.add(path + ".count", "give count or params, not both");
      } else if (step.count() == null && step.params() == null) {
        problems.add(
            path + ".count",
            "a parallel step needs count (the number of tasks) or params (one entry per task)");
      } else if (step.count() != null) {
        if (step.count() < 1) {
          problems.add(path + ".count", "must be at least 1, got " + step.count());
        } else if (step.count() > MAX_TASKS) {
          problems.add(path + ".count", "must be at most " + MAX_TASKS + ", got " + step.count());
        }
      } else if (step.params().isEmpty()) {
        problems.add(path + ".params", "must not be empty: one entry per task");
      } else if (step.params().size() > MAX_TASKS) {
        problems.add(
            path + ".params",
            "must have at most " + MAX_TASKS + " entries, got " + step.params().size());
      } else {
        for (int i = 0; i < step.params().size(); i++) {
          templates(path + ".params[" + i + "]", step.params().get(i), step);
        }
      }
    }

    private void map(StepSpec step, String path) {
      if (step.items() == null || step.items().isBlank()) {
        problems.add(
            path + ".items",
            "required for a map step: the list to map over, e.g. ${results.list.docs},"
                + " ${input.docs} or ${state.key}");
      } else {
        expression(path + ".items", step.items(), step);
      }
    }

    private void reduce(StepSpec step, String path) {
      boolean fanIn =
          step.dependsOn().stream()
              .map(graph::get)
              .anyMatch(s -> s != null && s.kind() != null && s.kind().fanOut());
      if (!fanIn) {
        problems.add(
            path + ".dependsOn",
            "a reduce step needs a parallel or map step among its dependsOn, got "
                + step.dependsOn());
      }
    }

    private void branch(StepSpec step, String path) {
      if (step.when() == null || step.when().isBlank()) {
        problems.add(path + ".when", "required for a branch step: the condition, in Jakarta EL");
      }
      if (step.then().isEmpty()) {
        problems.add(
            path + ".then",
            "required for a branch step: the steps to run when the condition holds");
      }
      Set<String> before = graph.ancestors(step.name());
      targets(step, step.then(), path + ".then", before);
      targets(step, step.otherwise(), path + ".else", before);
    }

    private void targets(StepSpec branch, List<String> names, String path, Set<String> before) {
      for (int k = 0; k < names.size(); k++) {
        String target = names.get(k);
        String at = path + "[" + k + "]";
        if (target.equals(branch.name())) {
          problems.add(at, "a branch cannot name itself");
        } else if (!graph.has(target)) {
          problems.add(at, "unknown step '" + target + "'");
        } else if (before.contains(target)) {
          problems.add(at, "'" + target + "' runs before this branch (the branch depends on it)");
        }
      }
    }

    private void workflowStep(StepSpec step, String path) {
      WorkflowRef ref = step.workflow();
      if (ref == null) {
        problems.add(path + ".workflow", "required for a workflow step: {name, version?, input?}");
        return;
      }
      definitionName(path + ".workflow.name", ref.name());
      atLeastOne(path + ".workflow.version", ref.version());
      if (ref.input() != null) {
        templates(path + ".workflow.input", ref.input(), step);
      }
    }

    /** Every {@code ${...}} string of a template parses. */
    private void templates(String path, JsonNode node, StepSpec step) {
      if (node.isTextual()) {
        if (Expressions.isTemplate(node.asText())) {
          parsed(path, node.asText(), step);
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          templates(path + "[" + i + "]", node.get(i), step);
        }
      } else if (node.isObject()) {
        node.fields().forEachRemaining(e -> templates(path + "." + e.getKey(), e.getValue(), step));
      }
    }

    /** A condition or {@code items}, written with or without {@code ${}}. */
    private void expression(String path, String text, StepSpec step) {
      parsed(path, Expressions.normalise(text), step);
    }

    /** The expression parses, and the results it reads are of steps that run before. */
    private void parsed(String path, String expression, StepSpec step) {
      var error = Expressions.syntaxError(expression);
      if (error.isPresent()) {
        problems.add(path, "not a valid expression: " + error.get());
        return;
      }
      if (step.name() == null) {
        return;
      }
      Set<String> before = null;
      for (String read : Expressions.resultsRead(expression)) {
        if (!graph.has(read)) {
          problems.add(path, "reads results of unknown step '" + read + "'");
          return;
        }
        if (before == null) {
          before = graph.ancestors(step.name());
        }
        if (!before.contains(read)) {
          problems.add(
              path,
              "reads results of '"
                  + read
                  + "', which is not among the steps it depends on (directly or not)");
          return;
        }
      }
    }

    private void positive(String path, Duration duration) {
      if (duration != null && (duration.isZero() || duration.isNegative())) {
        problems.add(path, "must be more than zero, got " + duration);
      }
    }

    private void atLeastOne(String path, Integer value) {
      if (value != null && value < 1) {
        problems.add(path, "must be at least 1, got " + value);
      }
    }

    private static String number(double value) {
      return value == Math.rint(value) && !Double.isInfinite(value)
          ? String.valueOf((long) value)
          : String.valueOf(value);
    }
  }
}
