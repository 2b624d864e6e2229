package io.agentainer.flow.console.ui.dashboard;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.api.FlowApi;
import io.agentainer.flow.console.ui.LiveUpdates;
import io.agentainer.flow.console.ui.MainLayout;
import jakarta.inject.Inject;

/**
 * The start page: an overview of the server and its work, redrawn as the server's events tell of
 * runs and jobs changing (at most once a second) and pushed to the browser.
 */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Agentainer Flow")
@RouteScoped
public class DashboardView extends Div {

  private final WorkCard work;
  private final ActivityCard activity;

  @Inject
  public DashboardView(FlowApi api, ConsoleSession session) {
    addClassNames("flow-page", "flow-page-wide");

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
    LiveUpdates.followEveryRun(
        this,
        session,
        () -> {
          work.refresh();
          activity.refresh();
        });
  }
}
