package io.agentainer.flow.console.ui;

import com.vaadin.cdi.annotation.UIScoped;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.dashboard.DashboardView;
import io.agentainer.flow.console.ui.definitions.DefinitionsView;
import io.agentainer.flow.console.ui.jobs.JobsView;
import io.agentainer.flow.console.ui.login.LoginView;
import io.agentainer.flow.console.ui.pools.PoolsView;
import io.agentainer.flow.console.ui.workflows.WorkflowsView;
import jakarta.inject.Inject;

/**
 * The frame of every page: the product name in the navigation bar and the side navigation in the
 * drawer.
 *
 * <p>The console's stylesheet is a plain static file ({@code src/main/webapp/styles/console.css})
 * linked at run time, so it needs no front-end build.
 */
@UIScoped
@StyleSheet(MainLayout.STYLESHEET)
public class MainLayout extends AppLayout implements BeforeEnterObserver {

  /** The console's stylesheet, relative to the web application's root. */
  public static final String STYLESHEET = "context://styles/console.css";

  public static final String PRODUCT_NAME = "Agentainer Flow";

  private final ConsoleSession session;

  @Inject
  public MainLayout(ConsoleSession session) {
    this.session = session;
    addClassName("flow-shell");
    setPrimarySection(Section.DRAWER);

    Span mark = new Span("AF");
    mark.addClassName("flow-brand-mark");
    Span name = new Span(PRODUCT_NAME);
    name.addClassName("flow-brand-name");
    Div brand = new Div(mark, name);
    brand.addClassName("flow-brand");

    SideNav nav = new SideNav();
    nav.addClassName("flow-nav");
    nav.addItem(new SideNavItem("Dashboard", DashboardView.class, VaadinIcon.DASHBOARD.create()));
    nav.addItem(new SideNavItem("Workflows", WorkflowsView.class, VaadinIcon.SITEMAP.create()));
    nav.addItem(
        new SideNavItem("Definitions", DefinitionsView.class, VaadinIcon.FILE_CODE.create()));
    nav.addItem(new SideNavItem("Jobs", JobsView.class, VaadinIcon.TASKS.create()));
    nav.addItem(new SideNavItem("Pools", PoolsView.class, VaadinIcon.CLUSTER.create()));

    DrawerToggle toggle = new DrawerToggle();
    toggle.setAriaLabel("Menu");
    Span title = new Span("Operations console");
    title.addClassName("flow-navbar-title");

    Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create());
    signOut.setId("sign-out");
    signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    signOut.addClassName("flow-sign-out");
    signOut.addClickListener(
        click -> {
          session.signOut();
          getUI().ifPresent(ui -> ui.navigate(LoginView.class));
        });

    addToDrawer(brand, nav);
    addToNavbar(toggle, title, signOut);
  }

  /** Every page but the sign-in page needs a signed-in operator. */
  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    if (!session.signedIn()) {
      event.forwardTo(LoginView.class);
    }
  }
}
