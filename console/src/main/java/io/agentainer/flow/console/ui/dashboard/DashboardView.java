package io.agentainer.flow.console.ui.dashboard;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.api.FlowApi;
import io.agentainer.flow.console.ui.MainLayout;
import jakarta.inject.Inject;

/** The start page: an overview of the server. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Agentainer Flow")
@RouteScoped
public class DashboardView extends Div {

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

    add(heading, lead, cards, new WorkCard(session));
  }
}
