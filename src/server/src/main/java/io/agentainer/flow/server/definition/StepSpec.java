package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * One node of a workflow's DAG as its definition says. Which fields apply depends on the {@link
 * StepKind}: {@code agent}, {@code input}, {@code executionMode}, {@code pool}, {@code retry} for
 * steps that run jobs; {@code count} or {@code params} for {@code parallel}; {@code items} for
 * {@code map}; {@code then}/{@code otherwise} (written {@code else}) for {@code branch}; {@code
 * workflow} for {@code workflow}. Any step may carry {@code when} (false means SKIPPED).
 *
 * @param dependsOn never null
 * @param agent null for branch and workflow steps
 * @param input a template whose strings may contain {@code ${...}}; null means {@code {}}
 * @param when a Jakarta EL condition, with or without {@code ${}}; null when none
 * @param executionMode {@code cold} (the default) or {@code pooled}
 * @param pool the pool settings as written, or null
 * @param retry never null: {@link RetrySpec#NONE} when none is given
 * @param tolerance never null: {@link ToleranceSpec#ALL} when none is given
 * @param items an EL expression such as {@code ${results.list.docs}}, {@code ${input.docs}} or
 *     {@code ${state.key}}
 * @param then never null (empty when not a branch)
 * @param otherwise never null (empty when none)
 */
public record StepSpec(
    String name,
    StepKind kind,
    List<String> dependsOn,
    AgentSpec agent,
    JsonNode input,
    String when,
    String executionMode,
    JsonNode pool,
    Integer maxParallel,
    Duration timeout,
    RetrySpec retry,
    ToleranceSpec tolerance,
    Integer count,
    List<JsonNode> params,
    String items,
    List<String> then,
    List<String> otherwise,
    WorkflowRef workflow) {

  public static final String COLD = "cold";
  public static final String POOLED = "pooled";

  public StepSpec {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    executionMode = executionMode == null ? COLD : executionMode;
    retry = retry == null ? RetrySpec.NONE : retry;
    tolerance = tolerance == null ? ToleranceSpec.ALL : tolerance;
    params = params == null ? null : List.copyOf(params);
    then = then == null ? List.of() : List.copyOf(then);
    otherwise = otherwise == null ? List.of() : List.copyOf(otherwise);
  }

  /** Whether the step's jobs run on pooled agents. */
  public boolean pooled() {
    return POOLED.equals(executionMode);
  }

  /** The step's pool settings (defaults where none are written); read after validation. */
  public PoolSpec poolSpec() {
    return PoolSpec.read(pool, "pool", (path, problem) -> {});
  }

  /**
   * The number of tasks of a {@code parallel} step ({@code count} or the size of {@code params}).
   */
  public int parallelTasks() {
    if (count != null) {
      return count;
    }
    return params == null ? 0 : params.size();
  }
}
