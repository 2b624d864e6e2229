package io.agentainer.flow.console.ui;

import com.vaadin.cdi.annotation.UIScoped;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import io.agentainer.flow.console.ui.dashboard.DashboardView;

/**
 * The frame of every page: the product name in the navigation bar and the side navigation in the
 * drawer.
 *
 * <p>The console's stylesheet is a plain static file ({@code src/main/webapp/styles/console.css})
 * linked at run time, so it needs no front-end build.
 */
@UIScoped
@StyleSheet(MainLayout.STYLESHEET)
public class MainLayout extends AppLayout {

  /** The console's stylesheet, relative to the web application's root. */
  public static final String STYLESHEET = "context://styles/console.css";

  public static final String PRODUCT_NAME = "Agentainer Flow";

  public MainLayout() {
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

    DrawerToggle toggle = new DrawerToggle();
    toggle.setAriaLabel("Menu");
    Span title = new Span("Operations console");
    title.addClassName("flow-navbar-title");

    addToDrawer(brand, nav);
    addToNavbar(toggle, title);
  }
}
