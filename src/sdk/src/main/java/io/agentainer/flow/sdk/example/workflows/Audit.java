package io.agentainer.flow.sdk.example.workflows;

import io.agentainer.flow.sdk.workflow.Input;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.Map;

/** Approves an order below 1,000.00; {@link Orders} runs it as a child workflow. */
@Workflow(name = "audit", image = Examples.IMAGE, input = Audit.Priced.class)
public class Audit {

  /** A priced order, in cents. */
  public record Priced(String id, long total) {}

  /** Orders at or above this total (in cents) are not approved. */
  public static final long LIMIT = 100_000;

  @Step
  public Map<String, Object> check(@Input Priced order) {
    return Map.of("id", order.id(), "approved", order.total() < LIMIT);
  }
}
