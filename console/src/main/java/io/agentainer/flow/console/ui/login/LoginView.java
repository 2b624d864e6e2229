package io.agentainer.flow.console.ui.login;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.api.FlowApi;
import io.agentainer.flow.console.ui.MainLayout;
import io.agentainer.flow.console.ui.dashboard.HealthCard;
import jakarta.inject.Inject;

/**
 * Sign in with an API token (the admin token the server generated or was given in {@code
 * FLOW_ADMIN_TOKEN}). The console checks it against the server and keeps it in the session.
 */
@Route("login")
@RouteScoped
@PageTitle("Sign in · Agentainer Flow")
public class LoginView extends Div {

  @Inject
  public LoginView(ConsoleSession session, FlowApi api) {
    addClassName("flow-login");
    H1 title = new H1(MainLayout.PRODUCT_NAME);
    Paragraph lead = new Paragraph("Sign in with an API token.");
    PasswordField token = new PasswordField("API token");
    token.setId("token");
    token.setWidthFull();
    token.setHelperText("The admin token: FLOW_ADMIN_TOKEN, or ~/.agentainer/admin-token");
    Button signIn = new Button("Sign in");
    signIn.setId("sign-in");
    signIn.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    signIn.addClickShortcut(Key.ENTER);
    signIn.addClickListener(
        click -> {
          switch (session.signIn(token.getValue())) {
            case SIGNED_IN -> getUI().ifPresent(ui -> ui.navigate(""));
            case REFUSED -> {
              token.setInvalid(true);
              token.setErrorMessage("The server refused this token");
            }
            default -> {
              token.setInvalid(true);
              token.setErrorMessage("The API does not answer; try again in a moment");
            }
          }
        });
    Div card = new Div(title, lead, token, signIn);
    card.addClassName("flow-login-card");
    // whether the API answers at all, before anyone signs in
    add(card, new HealthCard(api::health));
  }
}
