package io.agentainer.flow.sdk.example.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.TaskId;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.Map;

/**
 * Atomic state operations from parallel tasks: ten tasks each {@code increment} a counter, {@code
 * append} their id to a list and {@code addToSet} a tag; {@code report} reads what they left.
 */
@Workflow(
    name = "state-operations",
    description = "atomic increment, append, addToSet",
    image = Examples.IMAGE)
public class StateOperations {

  /** The number of parallel tasks. */
  public static final int TASKS = 10;

  @Step(parallel = TASKS)
  public void bump(Context ctx, @TaskId int id) {
    ctx.state().increment("hits", 1);
    ctx.state().append("order", id);
    ctx.state().addToSet("tags", id % 2 == 0 ? "even" : "odd");
  }

  @Step(dependsOn = "bump")
  public Map<String, Object> report(Context ctx) {
    Map<String, JsonNode> state = ctx.state().snapshot();
    return Map.of(
        "hits", state.get("hits").asInt(),
        "appended", state.get("order").size(),
        "tags", state.get("tags").size());
  }
}
