package io.agentainer.flow.sdk.workflow.templates;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Item;
import io.agentainer.flow.sdk.workflow.Results;
import io.agentainer.flow.sdk.workflow.Step;
import java.util.List;

/**
 * Map the input's {@code items} on a pool of 10 warm agents (3 attempts each), then reduce the
 * outputs: the class form of {@link io.agentainer.flow.sdk.workflow.MapReduce}, for code that
 * prefers overriding to naming methods.
 */
public abstract class MapReduceTemplate {

  /** One item mapped. */
  protected abstract Object map(Context ctx, JsonNode item) throws Exception;

  /** The outputs of every item, in order; the return value is the run's output. */
  protected abstract Object reduce(Context ctx, List<JsonNode> outputs) throws Exception;

  @Step(name = "map", map = "${input.items}", executionMode = "pooled", poolSize = 10, retry = 3)
  public Object mapStep(Context ctx, @Item JsonNode item) throws Exception {
    return map(ctx, item);
  }

  @Step(name = "reduce", reduce = true, dependsOn = "map")
  public Object reduceStep(Context ctx, @Results List<JsonNode> outputs) throws Exception {
    return reduce(ctx, outputs);
  }
}
