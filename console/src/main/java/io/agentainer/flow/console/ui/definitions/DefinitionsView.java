package io.agentainer.flow.console.ui.definitions;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.console.ui.MainLayout;
import io.agentainer.flow.console.ui.workflows.RunView;
import io.agentainer.flow.sdk.client.Definition;
import io.agentainer.flow.sdk.client.DefinitionRef;
import io.agentainer.flow.sdk.client.DefinitionSummary;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Problem;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The definitions: the list with their latest versions; a definition's text to validate or register
 * (problems shown on the field); a definition's versions, and a run started with its input, filled
 * in on a form of its parameters when it declares them.
 */
@Route(value = "definitions", layout = MainLayout.class)
@RouteScoped
@PageTitle("Definitions · Agentainer Flow")
public class DefinitionsView extends Div {

  private final ConsoleSession session;
  private final Grid<DefinitionSummary> grid = new Grid<>(DefinitionSummary.class, false);
  private final TextArea text = new TextArea("Definition (YAML or JSON)");
  private final RunStarter starter;
  private final Grid<Definition> versions = new Grid<>(Definition.class, false);
  private final H2 selected = new H2();
  private final Button start = new Button("Start run");
  private final Paragraph message = new Paragraph();

  @Inject
  public DefinitionsView(ConsoleSession session) {
    this.session = session;
    this.starter = new RunStarter(session);
    addClassName("flow-page");
    H1 heading = new H1("Definitions");
    heading.addClassName("flow-page-title");
    message.setId("definition-message");
    message.addClassName("flow-note");

    grid.setId("definitions");
    grid.addColumn(DefinitionSummary::name).setHeader("Name").setAutoWidth(true);
    grid.addColumn(DefinitionSummary::latestVersion).setHeader("Version");
    grid.addColumn(d -> d.description() == null ? "" : d.description())
        .setHeader("Description")
        .setFlexGrow(2);
    grid.addColumn(d -> Formats.time(d.createdAt())).setHeader("Registered");
    // a fixed height: the start controls below stay in view however many definitions there are
    grid.setHeight("18em");
    grid.setEmptyStateText("No definitions yet: register one below");
    grid.addSelectionListener(
        selection -> {
          start.setEnabled(selection.getFirstSelectedItem().isPresent());
          selection.getFirstSelectedItem().ifPresent(this::select);
        });

    selected.setId("selected-definition");
    selected.setVisible(false);
    versions.setId("definition-versions");
    versions.addColumn(Definition::version).setHeader("Version").setAutoWidth(true);
    versions.addColumn(d -> Formats.time(d.createdAt())).setHeader("Registered");
    versions
        .addColumn(
            d ->
                d.specHash() == null
                    ? ""
                    : d.specHash().substring(0, Math.min(12, d.specHash().length())))
        .setHeader("Spec digest");
    versions
        .addColumn(d -> d.description() == null ? "" : d.description())
        .setFlexGrow(2)
        .setHeader("Description");
    versions.setAllRowsVisible(true);
    versions.setVisible(false);

    start.setId("start-run");
    start.setEnabled(false);
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    start.addClickListener(click -> start());

    text.setId("definition-text");
    text.setWidthFull();
    text.setMinHeight("14em");
    text.setPlaceholder(
        "name: my-flow\nsteps:\n  - name: hello\n    kind: task\n    agent: {image: ..., handler: echo}");
    Button validate = new Button("Validate");
    validate.setId("validate-definition");
    validate.addClickListener(click -> validate());
    Button register = new Button("Register");
    register.setId("register-definition");
    register.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    register.addClickListener(click -> register());

    add(
        heading,
        grid,
        selected,
        starter,
        start,
        versions,
        new H2("Upload a definition"),
        text,
        new HorizontalLayout(validate, register),
        message);
    refresh();
  }

  private void refresh() {
    try {
      List<DefinitionSummary> definitions = new ArrayList<>(session.definitions(0, 500).items());
      // the most recently registered first
      definitions.sort(
          Comparator.comparing(
                  DefinitionSummary::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
              .reversed());
      grid.setItems(definitions);
    } catch (FlowClientException e) {
      message.setText("The definitions cannot be read: " + e.getMessage());
    }
  }

  /** Shows a definition's parameters as a form (or the JSON input) and its versions. */
  private void select(DefinitionSummary summary) {
    selected.setText(summary.name() + " v" + summary.latestVersion());
    selected.setVisible(true);
    try {
      starter.show(summary.name(), summary.latestVersion());
      List<Definition> all = new ArrayList<>(session.definitionVersions(summary.name()));
      all.sort(Comparator.comparingInt(Definition::version).reversed());
      versions.setItems(all);
      versions.setVisible(true);
    } catch (FlowClientException e) {
      message.setText("The definition cannot be read: " + e.getMessage());
    }
  }

  /** Problems on the field, one per line; true when there are none. */
  private boolean show(List<Problem> problems) {
    if (problems.isEmpty()) {
      text.setInvalid(false);
      return true;
    }
    text.setInvalid(true);
    text.setErrorMessage(
        problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    message.setText("");
    return false;
  }

  private void validate() {
    try {
      if (show(session.validate(text.getValue()))) {
        message.setText("Valid");
      }
    } catch (FlowClientException e) {
      onError(e);
    }
  }

  private void register() {
    try {
      DefinitionRef ref = session.register(text.getValue());
      show(List.of());
      message.setText("Registered " + ref.name() + " version " + ref.version());
      refresh();
    } catch (FlowClientException e) {
      onError(e);
    }
  }

  private void onError(FlowClientException e) {
    if (!e.problems().isEmpty()) {
      show(e.problems());
    } else {
      text.setInvalid(true);
      text.setErrorMessage(e.getMessage());
    }
  }

  private void start() {
    if (grid.asSingleSelect().getValue() == null) {
      return;
    }
    starter.start().ifPresent(run -> getUI().ifPresent(ui -> ui.navigate(RunView.class, run.id())));
  }
}
