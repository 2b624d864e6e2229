package io.agentainer.flow.console.ui.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.console.ui.MainLayout;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.Run;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run: its status, progress, steps with their counts, output or error, and cancel and retry.
 * Looks again every two seconds while the page is open.
 */
@Route(value = "runs", layout = MainLayout.class)
@RouteScoped
@PageTitle("Run · Agentainer Flow")
public class RunView extends Div implements HasUrlParameter<String> {

  static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private final ConsoleSession session;
  private final H1 heading = new H1();
  private final Span status = new Span();
  private final ProgressBar progress = new ProgressBar(0, 1);
  private final Paragraph facts = new Paragraph();
  private final Grid<Run.Step> steps = new Grid<>(Run.Step.class, false);
  private final Pre result = new Pre();
  private final Button cancel = new Button("Cancel run");
  private final Button retry = new Button("Retry failed steps");
  private final Paragraph problem = new Paragraph();
  private final Div dag = new Div();
  private final Div timeline = new Div();
  private JsonNode spec;
  private String runId;
  private Registration polling;

  @Inject
  public RunView(ConsoleSession session) {
    this.session = session;
    addClassName("flow-page");
    heading.addClassName("flow-page-title");
    status.setId("run-status");
    problem.addClassName("flow-problem");
    problem.setVisible(false);
    progress.setId("run-progress");
    result.setId("run-result");
    result.addClassName("flow-json");
    dag.setId("run-dag");
    dag.addClassName("flow-graphic");
    timeline.setId("run-timeline");
    timeline.addClassName("flow-graphic");

    steps.setId("run-steps");
    steps.addColumn(Run.Step::name).setHeader("Step").setAutoWidth(true);
    steps.addColumn(Run.Step::kind).setHeader("Kind");
    steps
        .addComponentColumn(
            s -> {
              Span b = new Span(s.status());
              b.setClassName(Formats.statusClass(s.status()));
              return b;
            })
        .setHeader("Status");
    steps.addColumn(s -> s.done() + " / " + s.total()).setHeader("Tasks done");
    steps.addColumn(Run.Step::failed).setHeader("Failed");
    steps.addColumn(Run.Step::running).setHeader("Running");
    steps.addColumn(s -> Formats.duration(s.startedAt(), s.finishedAt())).setHeader("Took");
    steps
        .addColumn(s -> s.error() == null ? "" : s.errorMessage())
        .setHeader("Error")
        .setFlexGrow(2);
    steps.setAllRowsVisible(true);

    cancel.setId("cancel-run");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
    cancel.addClickListener(click -> act(() -> session.cancelRun(runId)));
    retry.setId("retry-run");
    retry.addClickListener(click -> act(() -> session.retryRun(runId)));

    add(
        heading,
        new HorizontalLayout(status, cancel, retry),
        progress,
        facts,
        problem,
        new H2("Steps"),
        dag,
        steps,
        new H2("Timeline"),
        timeline,
        new H2("Output"),
        result);
  }

  @Override
  public void setParameter(BeforeEvent event, String parameter) {
    runId = parameter;
    refresh();
  }

  private void act(Runnable action) {
    try {
      action.run();
      problem.setVisible(false);
    } catch (FlowClientException e) {
      problem.setText(e.getMessage());
      problem.setVisible(true);
    }
    refresh();
  }

  final void refresh() {
    Run run;
    try {
      run = session.run(runId);
    } catch (FlowClientException e) {
      heading.setText("Run " + runId);
      problem.setText(
          e.status() == 404
              ? "There is no run " + runId
              : "The run cannot be read: " + e.getMessage());
      problem.setVisible(true);
      return;
    }
    heading.setText(run.definition() + " v" + run.version() + " · " + run.id().substring(0, 8));
    status.setText(run.status());
    status.setClassName(Formats.statusClass(run.status()));
    progress.setValue(run.progress() == null ? 0 : Math.min(1, run.progress()));
    facts.setText(
        "Started "
            + Formats.time(run.startedAt())
            + " · took "
            + Formats.duration(run.startedAt(), run.finishedAt())
            + (run.eta() == null || FINAL.contains(run.status())
                ? ""
                : " · ETA " + Formats.time(run.eta()))
            + (run.queuePosition() == null || run.queuePosition() == 0
                ? ""
                : " · queue position " + run.queuePosition()));
    steps.setItems(run.steps());
    draw(run);
    result.setText(
        run.error() != null
            ? run.errorMessage()
            : run.output() == null ? "(no output yet)" : run.output().toPrettyString());
    cancel.setEnabled(!FINAL.contains(run.status()));
    retry.setEnabled("FAILED".equals(run.status()) || "CANCELLED".equals(run.status()));
  }

  private void draw(Run run) {
    try {
      if (spec == null) {
        spec = session.definition(run.definition(), run.version()).spec();
      }
      Map<String, String> statuses = new HashMap<>();
      run.steps().forEach(s -> statuses.put(s.name(), s.status()));
      dag.removeAll();
      dag.add(svg(RunGraphics.dag(RunGraphics.nodes(spec, statuses))));
      List<RunGraphics.Bar> bars = new ArrayList<>();
      for (Job job : session.runJobs(run.id())) {
        bars.add(
            new RunGraphics.Bar(
                job.stepId(), job.taskId(), job.status(), job.startedAt(), job.finishedAt()));
      }
      timeline.removeAll();
      timeline.add(svg(RunGraphics.timeline(bars, Instant.now())));
    } catch (FlowClientException e) {
      problem.setText("The run's steps cannot be drawn: " + e.getMessage());
      problem.setVisible(true);
    }
  }

  /**
   * An SVG inside a div: the div's content is parsed as HTML, which puts the SVG in its own
   * namespace (an SVG root element would be created as an HTML element and draw nothing).
   */
  static Html svg(String svg) {
    return new Html("<div>" + svg + "</div>");
  }

  @Override
  protected void onAttach(AttachEvent event) {
    event.getUI().setPollInterval(2000);
    polling = event.getUI().addPollListener(poll -> refresh());
  }

  @Override
  protected void onDetach(DetachEvent event) {
    event.getUI().setPollInterval(-1);
    if (polling != null) {
      polling.remove();
    }
  }
}
