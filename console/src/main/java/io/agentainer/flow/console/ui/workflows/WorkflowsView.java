package io.agentainer.flow.console.ui.workflows;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.console.ui.LiveUpdates;
import io.agentainer.flow.console.ui.MainLayout;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Run;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The runs, newest first, filtered by status, definition and when they were created; a click opens
 * one, and "Start run" starts one. Redrawn as the server's events tell of runs changing (at most
 * once a second, pushed to the browser).
 */
@Route(value = "workflows", layout = MainLayout.class)
@RouteScoped
@PageTitle("Workflows · Agentainer Flow")
public class WorkflowsView extends Div {

  static final List<String> STATUSES =
      List.of("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private final ConsoleSession session;
  private final Grid<Run> grid = new Grid<>(Run.class, false);
  private final ComboBox<String> status = new ComboBox<>("Status", STATUSES);
  private final TextField definition = new TextField("Definition");
  private final ComboBox<Range> created = new ComboBox<>("Created", Range.values());

  /** The time ranges the list can be cut to. */
  enum Range {
    HOUR("In the last hour", Duration.ofHours(1)),
    DAY("In the last 24 hours", Duration.ofHours(24)),
    WEEK("In the last 7 days", Duration.ofDays(7)),
    MONTH("In the last 30 days", Duration.ofDays(30));

    final String label;
    final Duration length;

    Range(String label, Duration length) {
      this.label = label;
      this.length = length;
    }
  }

  private final Paragraph problem = new Paragraph();

  @Inject
  public WorkflowsView(ConsoleSession session) {
    this.session = session;
    addClassNames("flow-page", "flow-page-wide");
    H1 heading = new H1("Workflows");
    heading.addClassName("flow-page-title");
    problem.addClassName("flow-problem");
    problem.setVisible(false);

    status.setId("run-status");
    status.setClearButtonVisible(true);
    status.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
    definition.setId("run-definition");
    definition.setClearButtonVisible(true);
    definition.setValueChangeMode(ValueChangeMode.LAZY);
    definition.addValueChangeListener(change -> grid.getDataProvider().refreshAll());

    created.setId("run-created");
    created.setItemLabelGenerator(r -> r.label);
    created.setClearButtonVisible(true);
    created.setPlaceholder("Any time");
    created.addValueChangeListener(change -> grid.getDataProvider().refreshAll());

    grid.setId("runs");
    grid.addColumn(r -> r.id().substring(0, 8)).setHeader("Run").setAutoWidth(true);
    grid.addColumn(r -> r.definition() + " v" + r.version())
        .setHeader("Definition")
        .setAutoWidth(true);
    grid.addComponentColumn(r -> Formats.badge(r.status()))
        .setHeader("Status")
        .setWidth(Formats.STATUS_COLUMN_WIDTH)
        .setFlexGrow(0);
    grid.addColumn(r -> r.progress() == null ? "–" : Formats.percent(r.progress()))
        .setHeader("Progress");
    grid.addColumn(r -> Formats.time(r.createdAt())).setHeader("Started").setAutoWidth(true);
    grid.addColumn(r -> Formats.duration(r.startedAt(), r.finishedAt())).setHeader("Took");
    grid.addColumn(r -> r.trigger() == null ? "–" : r.trigger()).setHeader("Trigger");
    grid.setEmptyStateText("No runs match");
    grid.addItemClickListener(
        click -> getUI().ifPresent(ui -> ui.navigate(RunView.class, click.getItem().id())));
    grid.setItems(
        query -> fetch(query.getPage(), query.getPageSize()).items().stream(),
        query -> (int) Math.min(Integer.MAX_VALUE, fetch(0, 1).total()));

    Button newRun = new Button("Start run", VaadinIcon.PLAY.create());
    newRun.setId("new-run");
    newRun.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    newRun.addClickListener(
        click ->
            new StartRunDialog(
                    session, run -> getUI().ifPresent(ui -> ui.navigate(RunView.class, run.id())))
                .open());
    HorizontalLayout filters = new HorizontalLayout(definition, status, created, newRun);
    filters.setAlignItems(FlexComponent.Alignment.BASELINE);
    add(heading, filters, problem, grid);
    LiveUpdates.followEveryRun(this, session, () -> grid.getDataProvider().refreshAll());
  }

  private Page<Run> fetch(int page, int size) {
    String name = definition.getValue().trim().toLowerCase(Locale.ROOT);
    try {
      Page<Run> runs =
          session.runs(
              name.isEmpty() ? null : name,
              status.getValue() == null ? Set.of() : Set.of(status.getValue()),
              created.getValue() == null ? null : Instant.now().minus(created.getValue().length),
              null,
              page,
              size);
      problem.setVisible(false);
      definition.setInvalid(false);
      return runs;
    } catch (FlowClientException e) {
      if (e.status() == 400 || e.status() == 404) {
        definition.setInvalid(true);
        definition.setErrorMessage(e.getMessage());
      } else {
        problem.setText("The runs cannot be read: " + e.getMessage());
        problem.setVisible(true);
      }
      return new Page<>(List.of(), 0, page, size);
    }
  }
}
