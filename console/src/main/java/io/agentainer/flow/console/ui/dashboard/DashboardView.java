package io.agentainer.flow.console.ui.dashboard;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.api.FlowApi;
import io.agentainer.flow.console.ui.MainLayout;
import jakarta.inject.Inject;

/** The start page: an overview of the server and its work, looked at again every 5 s. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Agentainer Flow")
@RouteScoped
public class DashboardView extends Div {

  /** How often the dashboard looks again, in milliseconds. */
  static final int POLL_MS = 5000;

  private final WorkCard work;
  private final ActivityCard activity;
  private Registration polling;

  @Inject
  public DashboardView(FlowApi api, ConsoleSession session) {
    addClassName("flow-page");

    H1 heading = new H1("Dashboard");
    heading.addClassName("flow-page-title");
    Paragraph lead = new Paragraph("The server, its dependencies and its work at a glance.");
    lead.addClassName("flow-page-lead");

    HealthCard health = new HealthCard(api::health);
    Div cards = new Div(health);
    cards.addClassName("flow-cards");

    work = new WorkCard(session);
    activity = new ActivityCard(session);
    add(heading, lead, cards, work, activity);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    ui.setPollInterval(POLL_MS);
    polling =
        ui.addPollListener(
            poll -> {
              work.refresh();
              activity.refresh();
            });
  }

  @Override
  protected void onDetach(DetachEvent event) {
    event.getUI().setPollInterval(-1);
    if (polling != null) {
      polling.remove();
    }
  }
}
