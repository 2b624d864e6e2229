package io.agentainer.flow.sdk.workflow;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** One step of a {@link WorkflowModel}: what the annotations say, checked. */
record StepModel(
    String name,
    Kind kind,
    Method method,
    Class<?> owner,
    List<Param> params,
    Set<String> dependsOn,
    String image,
    String handler,
    int count,
    String items,
    String when,
    boolean pooled,
    int poolSize,
    String warmSchedule,
    int maxParallel,
    Duration timeout,
    int attempts,
    int maxFailures,
    Class<?> child,
    String childInput) {

  StepModel {
    if (method != null) {
      method.setAccessible(true); // once, not on every task: step methods need not be public
    }
  }

  /** The step kinds of the definition format that a method can be. */
  enum Kind {
    TASK,
    PARALLEL,
    MAP,
    REDUCE,
    WORKFLOW;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a parameter of the step's method gets its value. */
  enum Source {
    CONTEXT,
    INPUT,
    RESULT,
    TASK_ID,
    ITEM,
    RESULTS,
    /** A reduce's list of outputs of the tasks that succeeded ({@link MapReduce}'s reducer). */
    OUTPUTS
  }

  /**
   * A parameter: where its value comes from, its type, for {@code RESULT} the step, and whether
   * that step was inferred from the parameter's name.
   */
  record Param(Source source, Type type, String step, boolean byName) {
    Param(Source source, Type type, String step) {
      this(source, type, step, false);
    }
  }

  /** {@code Class.method()} for messages. */
  String where() {
    return method == null ? name : WorkflowModel.where(method);
  }
}
