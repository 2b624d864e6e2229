package io.agentainer.flow.console.ui.jobs;

import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
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
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobFilter;
import io.agentainer.flow.sdk.client.Page;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Every job, newest first, with its workflow, step and task, filtered by run and status; redrawn as
 * the server's events tell of jobs changing (at most once a second, pushed to the browser).
 */
@Route(value = "jobs", layout = MainLayout.class)
@RouteScoped
@PageTitle("Jobs · Agentainer Flow")
public class JobsView extends Div {

  static final List<String> STATUSES =
      List.of("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");

  private final ConsoleSession session;
  private final Grid<Job> grid = new Grid<>(Job.class, false);
  private final ComboBox<String> status = new ComboBox<>("Status", STATUSES);
  private final TextField workflow = new TextField("Workflow (run id)");
  private final Paragraph problem = new Paragraph();

  @Inject
  public JobsView(ConsoleSession session) {
    this.session = session;
    addClassNames("flow-page", "flow-page-wide");
    H1 heading = new H1("Jobs");
    heading.addClassName("flow-page-title");
    problem.addClassName("flow-problem");
    problem.setVisible(false);

    status.setId("job-status");
    status.setClearButtonVisible(true);
    status.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
    workflow.setId("job-workflow");
    workflow.setClearButtonVisible(true);
    workflow.setValueChangeMode(ValueChangeMode.LAZY);
    workflow.addValueChangeListener(
        change -> {
          String v = change.getValue().trim();
          boolean valid = v.isEmpty() || isUuid(v);
          workflow.setInvalid(!valid);
          workflow.setErrorMessage(valid ? null : "a run id looks like 6f1c…-…: 36 characters");
          if (valid) {
            grid.getDataProvider().refreshAll();
          }
        });

    grid.setId("jobs");
    grid.addColumn(j -> shortId(j.workflowId())).setHeader("Workflow").setAutoWidth(true);
    grid.addColumn(Job::stepId).setHeader("Step").setAutoWidth(true);
    grid.addColumn(j -> j.taskId() == null ? "–" : j.taskId().toString()).setHeader("Task");
    grid.addComponentColumn(j -> Formats.badge(j.status()))
        .setHeader("Status")
        .setWidth(Formats.STATUS_COLUMN_WIDTH)
        .setFlexGrow(0);
    grid.addColumn(j -> j.attempt() + " / " + j.maxAttempts()).setHeader("Attempt");
    grid.addColumn(Job::executionMode).setHeader("Mode");
    grid.addColumn(j -> j.image() + " · " + j.handler()).setHeader("Agent").setAutoWidth(true);
    grid.addColumn(j -> Formats.time(j.queuedAt())).setHeader("Queued");
    grid.addColumn(j -> Formats.duration(j.startedAt(), j.finishedAt())).setHeader("Took");
    grid.setEmptyStateText("No jobs match");
    grid.setItems(
        query -> {
          Page<Job> page = fetch(query.getPage(), query.getPageSize());
          return page.items().stream();
        },
        query -> (int) Math.min(Integer.MAX_VALUE, fetch(0, 1).total()));

    add(heading, new HorizontalLayout(workflow, status), problem, grid);
    setHeightFull();
    LiveUpdates.followEveryRun(this, session, () -> grid.getDataProvider().refreshAll());
  }

  private Page<Job> fetch(int page, int size) {
    String w = workflow.getValue().trim();
    JobFilter filter =
        new JobFilter(
            w.isEmpty() || !isUuid(w) ? null : w,
            status.getValue() == null ? Set.of() : Set.of(status.getValue()),
            page,
            size);
    try {
      Page<Job> jobs = session.jobs(filter);
      problem.setVisible(false);
      return jobs;
    } catch (FlowClientException e) {
      problem.setText("The jobs cannot be read: " + e.getMessage());
      problem.setVisible(true);
      return new Page<>(List.of(), 0, page, size);
    }
  }

  static boolean isUuid(String text) {
    try {
      UUID.fromString(text);
      return text.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String shortId(String id) {
    return id == null ? "–" : id.substring(0, Math.min(8, id.length()));
  }
}
