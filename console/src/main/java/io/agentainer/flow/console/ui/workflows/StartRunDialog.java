package io.agentainer.flow.console.ui.workflows;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.definitions.RunStarter;
import io.agentainer.flow.sdk.client.DefinitionSummary;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.RunRef;
import java.util.function.Consumer;

/**
 * Starts a run from the Workflows page: pick a definition (its latest version), fill in its
 * parameters (or its JSON input), start; the page then opens the new run.
 */
class StartRunDialog extends Dialog {

  private final ComboBox<DefinitionSummary> definition = new ComboBox<>("Definition");
  private final RunStarter starter;
  private final Button start = new Button("Start");
  private final Paragraph problem = new Paragraph();

  StartRunDialog(ConsoleSession session, Consumer<RunRef> started) {
    this.starter = new RunStarter(session);
    setId("start-run-dialog");
    setHeaderTitle("Start a run");
    setWidth("36em");
    problem.addClassName("flow-problem");
    problem.setVisible(false);

    definition.setId("start-definition");
    definition.setItemLabelGenerator(d -> d.name() + " (v" + d.latestVersion() + ")");
    definition.setWidthFull();
    definition.setPlaceholder("Choose a definition");
    try {
      definition.setItems(session.definitions(0, 500).items());
    } catch (FlowClientException e) {
      problem.setText("The definitions cannot be read: " + e.getMessage());
      problem.setVisible(true);
    }
    definition.addValueChangeListener(
        change -> {
          start.setEnabled(change.getValue() != null);
          if (change.getValue() != null) {
            try {
              starter.show(change.getValue().name(), change.getValue().latestVersion());
              problem.setVisible(false);
            } catch (FlowClientException e) {
              problem.setText("The definition cannot be read: " + e.getMessage());
              problem.setVisible(true);
            }
          }
        });

    start.setId("start-run-confirm");
    start.setEnabled(false);
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    start.addClickListener(
        click ->
            starter
                .start()
                .ifPresent(
                    run -> {
                      close();
                      started.accept(run);
                    }));
    Button cancel = new Button("Cancel", click -> close());
    cancel.setId("start-run-cancel");

    add(definition, starter, problem);
    getFooter().add(cancel, start);
  }
}
