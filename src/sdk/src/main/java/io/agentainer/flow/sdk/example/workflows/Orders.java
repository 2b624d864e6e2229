package io.agentainer.flow.sdk.example.workflows;

import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Input;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * A parameterized workflow (the typed {@link Order} input becomes the definition's parameters, so
 * the server refuses an order without lines), a condition, and a child workflow: every priced order
 * is checked by {@link Audit}; express orders also get a courier.
 */
@Workflow(name = "orders", image = Examples.IMAGE, input = Orders.Order.class, timeout = "PT10M")
public class Orders {

  /** The run's input. */
  public record Order(String id, List<Line> lines, boolean express) {}

  /** One line of an order, the price in cents. */
  public record Line(String sku, int quantity, long price) {}

  @Step
  public Audit.Priced price(@Input Order order) {
    long total = 0;
    for (Line line : order.lines()) {
      total += line.quantity() * line.price();
    }
    return new Audit.Priced(order.id(), total);
  }

  @Step(when = "${input.express}", dependsOn = "price")
  public Map<String, Object> courier(Context ctx, @Input Order order) {
    ctx.state().put("courier", "booked for " + order.id());
    return Map.of("courier", "express");
  }

  @Step(workflow = Audit.class, input = "${results.price}")
  public void audit() {
    // a child run of Audit: the server starts it with the priced order
  }
}
