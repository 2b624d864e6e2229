package io.agentainer.flow.sdk.example.workflows;

import io.agentainer.flow.sdk.workflow.Item;
import io.agentainer.flow.sdk.workflow.Results;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.List;

/** A pooled step: 20 items on a pool of 5 warm agents, up to 20 tasks at once, then a sum. */
@Workflow(
    name = "pooled-squares",
    description = "a pooled map over the input's items",
    image = Examples.IMAGE)
public class PooledSquares {

  @Step(map = "${input.items}", executionMode = "pooled", poolSize = 5, maxParallel = 20)
  public long square(@Item long x) {
    return x * x;
  }

  @Step(reduce = true, dependsOn = "square")
  public long sum(@Results List<Long> squares) {
    return squares.stream().mapToLong(Long::longValue).sum();
  }
}
