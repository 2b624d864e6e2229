package io.agentainer.flow.sdk.workflow.templates;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Input;
import io.agentainer.flow.sdk.workflow.Item;
import io.agentainer.flow.sdk.workflow.Results;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.TaskResult;
import java.util.List;

/**
 * Fan out, then aggregate everything, failures included: {@code plan} lists the pieces of work,
 * {@code work} runs once per piece (cold agents, 2 attempts), {@code aggregate} gets every piece's
 * {@link TaskResult}, so it can report what failed: any number of pieces may fail.
 */
public abstract class FanOutAggregate {

  /** The pieces of work, from the run's input. */
  protected abstract List<?> plan(Context ctx, JsonNode input) throws Exception;

  /** One piece of work done. */
  protected abstract Object work(Context ctx, JsonNode piece) throws Exception;

  /** Every piece's result, in order; the return value is the run's output. */
  protected abstract Object aggregate(Context ctx, List<TaskResult> results) throws Exception;

  @Step(name = "plan")
  public List<?> planStep(Context ctx, @Input JsonNode input) throws Exception {
    return plan(ctx, input);
  }

  @Step(name = "work", map = "plan", retry = 2, maxFailures = Integer.MAX_VALUE)
  public Object workStep(Context ctx, @Item JsonNode piece) throws Exception {
    return work(ctx, piece);
  }

  @Step(name = "aggregate", reduce = true, dependsOn = "work")
  public Object aggregateStep(Context ctx, @Results List<TaskResult> results) throws Exception {
    return aggregate(ctx, results);
  }
}
