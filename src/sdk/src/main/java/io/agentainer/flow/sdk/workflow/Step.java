package io.agentainer.flow.sdk.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A step of a {@link Workflow}: the method runs once per task inside an agent. What kind of step it
 * is follows from the attributes: a task (the default), a {@link #parallel()} fan-out, a {@link
 * #map()} over a list, a {@link #reduce()} over the results of the steps it depends on, or a child
 * {@link #workflow()}.
 *
 * <p>Parameters are bound by type and annotation: {@link Context}; {@link Input} (the run's input,
 * converted to the parameter's type); {@link Result} (another step's result, which also makes this
 * step depend on it; a parameter named after a step does the same when the class is compiled with
 * {@code -parameters}); {@link TaskId} (a parallel task's number, 0..n-1); {@link Item} (a map
 * task's item); {@link Results} (a reduce's upstream results, as {@link TaskResult}s or converted
 * outputs). The return value is the task's output.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {

  /** The step's name ({@code [A-Za-z0-9_-]{1,64}}); empty: the method's name. */
  String name() default "";

  /** Steps this one runs after, besides those its {@link Result} parameters name. */
  String[] dependsOn() default {};

  /** Run this many tasks at once with task ids 0..n-1 (a parallel step); 0: not parallel. */
  int parallel() default 0;

  /** Most tasks of this step at once (the seed's {@code max_workers}); 0: no step limit. */
  int maxWorkers() default 0;

  /**
   * Run one task per item of a list (a map step): an expression such as {@code ${input.docs}} or
   * {@code ${results.split.docs}}, or just the name of a step whose result is the list.
   */
  String map() default "";

  /** Receive the results of the steps this one depends on, in task order (a reduce step). */
  boolean reduce() default false;

  /** {@code cold} (an agent per task) or {@code pooled} (warm agents reused task by task). */
  String executionMode() default "cold";

  /** With {@code pooled}: the pool's most agents (and warmed before the first task); 0: 5. */
  int poolSize() default 0;

  /** Most tasks of this step at once; 0 means {@link #maxWorkers()}, else no step limit. */
  int maxParallel() default 0;

  /** A task's time limit (ISO-8601 such as {@code PT1M}, or {@code 1m}); empty for none. */
  String timeout() default "";

  /** Attempts per task (1: no retry); retries back off exponentially with jitter. */
  int retry() default 1;

  /**
   * Tasks of a parallel or map step that may fail (after their retries) without failing the step;
   * -1: none may.
   */
  int maxFailures() default -1;

  /** A condition (an expression over input, results and state); false skips the step. */
  String when() default "";

  /** A cron expression (5 fields) at which to warm this step's pool; needs {@code pooled}. */
  String warmSchedule() default "";

  /** The agent image for this step; empty: the workflow's image. */
  String image() default "";

  /**
   * Run this workflow class as a child run (composition): the method is not called, the child's
   * output is the step's result, and {@link #input()} is its input.
   */
  Class<?> workflow() default Void.class;

  /** The child workflow's input (an expression); empty: this run's input. */
  String input() default "";
}
