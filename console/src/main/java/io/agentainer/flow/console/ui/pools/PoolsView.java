package io.agentainer.flow.console.ui.pools;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.console.ui.LiveUpdates;
import io.agentainer.flow.console.ui.MainLayout;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The agent pools: size, busy and idle agents, utilization, lease waits, cold starts and
 * terminations by reason, with warm and drain. Redrawn as job events tell of leases (at most once a
 * second, pushed to the browser), and every few seconds for what has no event (an idle agent
 * retiring).
 */
@Route(value = "pools", layout = MainLayout.class)
@RouteScoped
@PageTitle("Pools · Agentainer Flow")
public class PoolsView extends Div {

  /** How often the page looks again without an event, in milliseconds. */
  static final int REFRESH_MS = 5000;

  private final ConsoleSession session;
  private final Grid<Pool> grid = new Grid<>(Pool.class, false);
  private final Paragraph problem = new Paragraph();
  private Registration polling;

  @Inject
  public PoolsView(ConsoleSession session) {
    this.session = session;
    addClassNames("flow-page", "flow-page-wide");
    H1 heading = new H1("Pools");
    heading.addClassName("flow-page-title");
    Paragraph lead =
        new Paragraph("Warm agents lent task by task: how full, how busy, how fast a lease is.");
    lead.addClassName("flow-page-lead");
    problem.addClassName("flow-problem");
    problem.setVisible(false);

    grid.setId("pools");
    grid.addColumn(Pool::name).setHeader("Pool").setAutoWidth(true).setFlexGrow(0);
    grid.setColumnReorderingAllowed(true);
    grid.addColumn(
            p -> p.definition() == null ? (p.shared() ? "shared" : "ad hoc") : p.definition())
        .setHeader("Definition");
    grid.addComponentColumn(p -> Formats.badge(p.status()))
        .setHeader("Status")
        .setWidth(Formats.STATUS_COLUMN_WIDTH)
        .setFlexGrow(0);
    grid.addColumn(p -> p.size() + " / " + p.maxSize()).setHeader("Size / max").setAutoWidth(true);
    grid.addColumn(Pool::busy).setHeader("Busy").setAutoWidth(true);
    grid.addColumn(Pool::idle).setHeader("Idle").setAutoWidth(true);
    grid.addColumn(Pool::waiting).setHeader("Waiting").setAutoWidth(true);
    grid.addColumn(p -> Formats.percent(p.utilization()))
        .setHeader("Utilization")
        .setAutoWidth(true);
    grid.addColumn(
            p -> Formats.millis(p.leaseWaitP50Ms()) + " / " + Formats.millis(p.leaseWaitP99Ms()))
        .setHeader("Lease wait p50 / p99")
        .setAutoWidth(true);
    grid.addColumn(Pool::reused).setHeader("Reused").setAutoWidth(true);
    grid.addColumn(Pool::coldStarts).setHeader("Cold starts").setAutoWidth(true);
    grid.addColumn(PoolsView::terminations).setHeader("Terminations").setAutoWidth(true);
    grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
    grid.setAllRowsVisible(true);
    grid.setEmptyStateText(
        "No pools yet: a pooled step declares one when its definition is registered");

    add(heading, lead, problem, grid);
    refresh();
    LiveUpdates.followEveryRun(this, session, this::refresh);
  }

  static String terminations(Pool pool) {
    return pool.terminations().isEmpty()
        ? "–"
        : pool.terminations().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private HorizontalLayout actions(Pool pool) {
    Button warm = new Button("Warm");
    warm.addThemeVariants(ButtonVariant.LUMO_SMALL);
    warm.setId("warm-" + pool.name());
    warm.addClickListener(
        click -> act(() -> session.warmPool(pool.id()), "Warming " + pool.name()));
    Button drain = new Button("Drain");
    drain.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
    drain.setId("drain-" + pool.name());
    drain.addClickListener(
        click -> act(() -> session.drainPool(pool.id()), "Draining " + pool.name()));
    return new HorizontalLayout(warm, drain);
  }

  private void act(Runnable action, String done) {
    try {
      action.run();
      Notification.show(done, 3000, Notification.Position.BOTTOM_END)
          .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    } catch (FlowClientException e) {
      Notification.show(e.getMessage(), 5000, Notification.Position.BOTTOM_END)
          .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
    refresh();
  }

  /** Looks at the pools again. */
  final void refresh() {
    try {
      List<Pool> pools = session.pools(0, 500).items();
      grid.setItems(pools);
      problem.setVisible(false);
    } catch (FlowClientException e) {
      problem.setText("The pools cannot be read: " + e.getMessage());
      problem.setVisible(true);
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    event.getUI().setPollInterval(REFRESH_MS);
    polling = event.getUI().addPollListener(poll -> refresh());
  }

  @Override
  protected void onDetach(DetachEvent event) {
    event.getUI().setPollInterval(-1);
    if (polling != null) {
      polling.remove();
    }
  }
}
