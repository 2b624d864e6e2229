package io.agentainer.flow.sdk.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a workflow: its {@link Step} methods (its own, inherited ones and those of the
 * classes it {@linkplain #uses() uses}) are the steps. {@link WorkflowCompiler} turns the class
 * into a definition; {@link WorkflowAgent} runs its steps inside an agent; {@link LocalRunner} runs
 * it in process.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Workflow {

  /** The definition's name ({@code [a-z0-9_-]{1,64}}). */
  String name();

  /** What it does, shown in lists. */
  String description() default "";

  /** The run's time limit (ISO-8601 such as {@code PT30M}, or {@code 30m}); empty for none. */
  String timeout() default "";

  /** Most jobs of one run at once; 0 for the server's default. */
  int maxParallel() default 0;

  /**
   * The agent image that serves this class's steps, e.g. {@code acme/orders-agent:latest}; a step's
   * {@link Step#image()} overrides it. Empty: the image given to the compiler.
   */
  String image() default "";

  /**
   * The run's typed input: a record whose components become the definition's {@code parameters} (a
   * JSON Schema the server checks every start against). {@code Void} for untyped input.
   */
  Class<?> input() default Void.class;

  /** Classes whose {@link Step} methods are steps of this workflow too (reusable steps). */
  Class<?>[] uses() default {};
}
