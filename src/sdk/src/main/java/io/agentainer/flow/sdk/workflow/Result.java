package io.agentainer.flow.sdk.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Another step's result, converted to the parameter's type; the step depends on that step. A task
 * step's result is its output; a parallel or map step's result is the list of its outputs.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Result {

  /** The step's name. */
  String value();
}
