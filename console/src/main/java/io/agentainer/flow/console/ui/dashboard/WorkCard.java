package io.agentainer.flow.console.ui.dashboard;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The work at a glance: runs by status, jobs waiting, and how busy the pools are, as SVG. */
public class WorkCard extends Div {

  static final List<String> STATUSES =
      List.of("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private final ConsoleSession session;

  public WorkCard(ConsoleSession session) {
    this.session = session;
    addClassName("flow-cards");
    refresh();
  }

  /** Looks at the work again. */
  public final void refresh() {
    removeAll();
    try {
      List<BarChart.Bar> runs = new ArrayList<>();
      for (String status : STATUSES) {
        long total = session.runs(null, Set.of(status), 0, 1).total();
        runs.add(new BarChart.Bar(status.toLowerCase(java.util.Locale.ROOT), total, tone(status)));
      }
      long queued =
          session
              .jobs(new io.agentainer.flow.sdk.client.JobFilter(null, Set.of("QUEUED"), 0, 1))
              .total();
      long running =
          session
              .jobs(new io.agentainer.flow.sdk.client.JobFilter(null, Set.of("RUNNING"), 0, 1))
              .total();
      List<BarChart.Bar> pools = new ArrayList<>();
      for (Pool pool : session.pools(0, 8).items()) {
        pools.add(new BarChart.Bar(pool.name(), pool.utilization() * 100, "flow-chart-ok"));
      }
      add(
          card("Runs by status", "runs-chart", BarChart.svg("Runs by status", runs, "%.0f")),
          card(
              "Jobs",
              "jobs-chart",
              BarChart.svg(
                  "Jobs queued and running",
                  List.of(
                      new BarChart.Bar("queued", queued, "flow-chart-warn"),
                      new BarChart.Bar("running", running, "flow-chart-ok")),
                  "%.0f")),
          card(
              "Pool utilization",
              "pools-chart",
              pools.isEmpty()
                  ? null
                  : BarChart.svg("Pool utilization, percent", pools, "%.0f %%")));
    } catch (FlowClientException e) {
      Paragraph problem = new Paragraph("The work cannot be read: " + e.getMessage());
      problem.addClassName("flow-problem");
      add(problem);
    }
  }

  private static Card card(String title, String id, String svg) {
    Card card = new Card();
    card.setId(id);
    card.setTitle(title);
    card.add(
        svg == null
            ? new Span("No pools yet")
            : new Html("<div class=\"flow-graphic\">" + svg + "</div>"));
    return card;
  }

  static String tone(String status) {
    return switch (status) {
      case "SUCCEEDED" -> "flow-chart-ok";
      case "FAILED", "TIMED_OUT" -> "flow-chart-bad";
      case "RUNNING", "PENDING" -> "flow-chart-warn";
      default -> "flow-chart-neutral";
    };
  }
}
