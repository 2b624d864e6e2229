package io.agentainer.flow.console.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.SessionInitEvent;
import io.agentainer.flow.sdk.client.FlowClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an operator sees when something a page did not expect goes wrong: a short message in a
 * notification, never a stack trace. A failed call to the server says what the server (or the
 * network) said; anything else gets a reference, under which the console's log has the details.
 */
@ApplicationScoped
public class ConsoleErrors {

  private static final Logger LOG = Logger.getLogger(ConsoleErrors.class.getName());

  /** Every new Vaadin session reports its uncaught errors this way. */
  void install(@Observes SessionInitEvent event) {
    event.getSession().setErrorHandler(ConsoleErrors::handle);
  }

  static void handle(ErrorEvent error) {
    Throwable thrown = error.getThrowable();
    String reference = UUID.randomUUID().toString().substring(0, 8);
    LOG.log(Level.WARNING, "console error " + reference, thrown);
    UI ui = UI.getCurrent();
    if (ui != null) {
      Notification note =
          Notification.show(message(thrown, reference), 8000, Notification.Position.BOTTOM_END);
      note.addThemeVariants(NotificationVariant.LUMO_ERROR);
      note.setId("console-error");
    }
  }

  /** The operator's message for {@code thrown}: what went wrong, in a sentence. */
  static String message(Throwable thrown, String reference) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof FlowClientException e) {
        return "The server could not do it: " + e.getMessage();
      }
    }
    return "Something went wrong on this page (reference "
        + reference
        + "; the console's log has the details). Try again, or reload the page.";
  }
}
