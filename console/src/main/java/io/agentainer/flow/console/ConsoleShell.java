package io.agentainer.flow.console;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;

/**
 * The application shell: page-level settings shared by every view, and server push (pages update as
 * the server's event stream reports, without the browser asking). It adds nothing to the front-end
 * bundle, so the console keeps running on Vaadin's prebuilt production bundle.
 */
@Meta(name = "color-scheme", content = "light")
@Push
public class ConsoleShell implements AppShellConfigurator {

  @Override
  public void configurePage(AppShellSettings settings) {
    settings.setPageTitle("Agentainer Flow");
  }
}
