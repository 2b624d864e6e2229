package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A workflow definition as parsed and validated: a name, what its input must look like ({@code
 * parameters}, a JSON Schema), run-wide limits, and the steps of its DAG in the order written.
 * Values are read-only; the {@link JsonNode}s inside must not be changed either.
 *
 * @param parameters a JSON Schema for the run's input, or null
 * @param timeout the run's time limit, or null for none
 * @param maxParallel jobs of one run at once, or null for no limit of its own
 * @param retention how long finished runs are kept, or null for the server's default
 */
public record WorkflowSpec(
    String name,
    String description,
    JsonNode parameters,
    Duration timeout,
    Integer maxParallel,
    Duration retention,
    List<StepSpec> steps) {

  public WorkflowSpec {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** The step of this name. */
  public Optional<StepSpec> step(String name) {
    return steps.stream().filter(s -> name.equals(s.name())).findFirst();
  }

  /** Steps that depend on no other step: they start with the run. */
  public List<StepSpec> roots() {
    return steps.stream().filter(s -> s.dependsOn().isEmpty()).toList();
  }

  /** Steps that name {@code name} in their {@code dependsOn}, in definition order. */
  public List<StepSpec> dependants(String name) {
    return steps.stream().filter(s -> s.dependsOn().contains(name)).toList();
  }

  /**
   * The last steps: no step depends on them and they are no branch (a branch hands over to its
   * {@code then} or {@code else} steps). The run's output is theirs.
   */
  public List<StepSpec> leaves() {
    Set<String> followed = new LinkedHashSet<>();
    for (StepSpec s : steps) {
      followed.addAll(s.dependsOn());
      if (s.kind() == StepKind.BRANCH) {
        followed.add(s.name());
      }
    }
    return steps.stream().filter(s -> !followed.contains(s.name())).toList();
  }
}
