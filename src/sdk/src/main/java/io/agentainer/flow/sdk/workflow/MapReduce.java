package io.agentainer.flow.sdk.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A map and a reduce in one line: the {@link #mapper()} method runs once per item of {@link
 * #items()} on a pool of warm agents, with retries, and the {@link #reducer()} method gets the
 * outputs of the tasks that succeeded. Up to {@link #maxFailures()} items may fail without failing
 * the run. Progress shows as the map step's done and total counts.
 *
 * <pre>{@code
 * @Workflow(name = "wordcount")
 * @MapReduce(items = "${input.docs}", mapper = "count", reducer = "total")
 * class WordCount {
 *   Map<String, Integer> count(String doc) { ... }
 *   Map<String, Integer> total(List<Map<String, Integer>> counts) { ... }
 * }
 * }</pre>
 *
 * The mapper takes the item (any type); the reducer takes the list of outputs. The steps are named
 * {@code map} and {@code reduce}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MapReduce {

  /** The items: an expression such as {@code ${input.docs}}. */
  String items();

  /** The name of the method that maps one item. */
  String mapper();

  /** The name of the method that reduces the list of outputs. */
  String reducer();

  /** Warm agents serving the map; 0: 5. */
  int poolSize() default 0;

  /** Most map tasks at once; 0: the pool size. */
  int maxParallel() default 0;

  /** Attempts per item. */
  int retry() default 3;

  /** Items that may fail (after their retries) without failing the run. */
  int maxFailures() default 0;
}
