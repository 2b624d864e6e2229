package io.agentainer.flow.console.ui.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.cdi.annotation.RouteScoped;
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
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.console.ui.LiveUpdates;
import io.agentainer.flow.console.ui.MainLayout;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.StateChange;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One run: its status, progress, DAG, timeline, steps, jobs, state, output or error, the live list
 * of its events, and cancel and retry. The run's event stream keeps the page up to date: each event
 * redraws it and the change is pushed to the browser ({@link LiveUpdates}).
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
  private final Grid<Job> jobs = new Grid<>(Job.class, false);
  private final Grid<Map.Entry<String, JsonNode>> state = new Grid<>();
  private final Grid<StateChange> history = new Grid<>(StateChange.class, false);
  private final Div dag = new Div();
  private final Div timeline = new Div();
  private JsonNode spec;
  private volatile String runId;
  private final Div events = new Div();
  private final Queue<String> arrived = new ConcurrentLinkedQueue<>();
  private final Runnable following;

  /** The most event lines the page keeps, newest first. */
  static final int MAX_EVENT_LINES = 200;

  @Inject
  public RunView(ConsoleSession session) {
    this.session = session;
    addClassName("flow-page");
    heading.addClassName("flow-page-title");
    status.setId("run-status");
    problem.addClassName("flow-problem");
    problem.setVisible(false);
    progress.setId("run-progress");
    facts.setId("run-facts");
    result.setId("run-result");
    result.addClassName("flow-json");
    events.setId("run-events");
    events.addClassName("flow-events");
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
        .setHeader("Status")
        .setWidth(Formats.STATUS_COLUMN_WIDTH)
        .setFlexGrow(0);
    steps.addColumn(s -> s.done() + " / " + s.total()).setHeader("Tasks done");
    steps.addColumn(Run.Step::failed).setHeader("Failed");
    steps.addColumn(Run.Step::running).setHeader("Running");
    steps.addColumn(s -> Formats.duration(s.startedAt(), s.finishedAt())).setHeader("Took");
    steps
        .addColumn(s -> s.error() == null ? "" : s.errorMessage())
        .setTooltipGenerator(s -> s.error() == null ? "" : s.errorMessage())
        .setHeader("Error")
        .setFlexGrow(2);
    steps.setAllRowsVisible(true);

    jobs.setId("run-jobs");
    jobs.addColumn(Job::stepId).setHeader("Step").setAutoWidth(true);
    jobs.addColumn(j -> j.taskId() == null ? "–" : j.taskId().toString()).setHeader("Task");
    jobs.addComponentColumn(
            j -> {
              Span b = new Span(j.status());
              b.setClassName(Formats.statusClass(j.status()));
              return b;
            })
        .setHeader("Status")
        .setWidth(Formats.STATUS_COLUMN_WIDTH)
        .setFlexGrow(0);
    jobs.addColumn(Job::attempt).setHeader("Attempt");
    jobs.addColumn(j -> Formats.duration(j.startedAt(), j.finishedAt())).setHeader("Took");
    jobs.setAllRowsVisible(true);
    jobs.addItemClickListener(click -> new JobDialog(session, click.getItem().id()).open());

    state.setId("run-state");
    state.addColumn(Map.Entry::getKey).setHeader("Key").setAutoWidth(true);
    state.addColumn(e -> e.getValue().toString()).setHeader("Value").setFlexGrow(2);
    state.setAllRowsVisible(true);
    state.setEmptyStateText("No state");
    state.addItemClickListener(click -> showHistory(click.getItem().getKey()));
    history.setId("state-history");
    history.addColumn(c -> Formats.time(c.at())).setHeader("When");
    history.addColumn(StateChange::op).setHeader("Operation");
    history.addColumn(RunView::change).setHeader("Change").setFlexGrow(2);
    history
        .addColumn(
            c -> c.jobId() == null ? "operator" : "job " + c.jobId().toString().substring(0, 8))
        .setHeader("By");
    history.setAllRowsVisible(true);
    history.setVisible(false);

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
        new H2("Result"),
        result,
        new H2("Jobs"),
        jobs,
        new H2("State"),
        state,
        history,
        new H2("Events"),
        events);
    following =
        LiveUpdates.follow(
            this,
            onEvent -> session.follow(runId, onEvent),
            e -> {
              if (e.workflowId().equals(runId)) { // not one of the run shown before, late
                arrived.add(
                    Formats.time(e.at())
                        + " · "
                        + e.type()
                        + (e.stepId() == null ? "" : " · " + e.stepId()));
              }
            },
            this::refresh);
  }

  @Override
  public void setParameter(BeforeEvent event, String parameter) {
    boolean another = runId != null && !runId.equals(parameter);
    runId = parameter;
    if (another) { // the page stays, showing another run: its events, its graphics
      spec = null;
      following.run();
      arrived.clear();
      events.removeAll();
      history.setVisible(false);
    }
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
    showArrivedEvents();
    List<Job> all = draw(run);
    try {
      state.setItems(new ArrayList<>(session.state(run.id()).entrySet()));
    } catch (FlowClientException e) {
      problem.setText("The run's state cannot be read: " + e.getMessage());
      problem.setVisible(true);
    }
    result.setText(result(run, all));
    cancel.setEnabled(!FINAL.contains(run.status()));
    retry.setEnabled("FAILED".equals(run.status()) || "CANCELLED".equals(run.status()));
  }

  /**
   * What a change of the state did, in words: {@code +5}, {@code deleted}, or the value written.
   */
  static String change(StateChange c) {
    if (StateChange.INCREMENT.equals(c.op())) {
      return c.delta() == null
          ? "–"
          : (c.delta().signum() < 0 ? "" : "+") + c.delta().toPlainString();
    }
    if (StateChange.DELETE.equals(c.op())) {
      return "deleted";
    }
    return c.value() == null || c.value().isNull() ? "–" : c.value().toString();
  }

  /**
   * What the run came to: its output, or its error followed by the error of each job that failed
   * for good (the last attempt of each task), which says what actually went wrong.
   */
  static String result(Run run, List<Job> jobs) {
    if (run.error() == null) {
      return run.output() == null ? "(no output yet)" : run.output().toPrettyString();
    }
    StringBuilder text = new StringBuilder(run.errorMessage());
    Map<String, Job> last = new LinkedHashMap<>();
    for (Job job : jobs) {
      String task = job.stepId() + (job.taskId() == null ? "" : "[" + job.taskId() + "]");
      Job seen = last.get(task);
      if (seen == null || seen.attempt() < job.attempt()) {
        last.put(task, job);
      }
    }
    last.forEach(
        (task, job) -> {
          if (Job.FAILED.equals(job.status()) && job.error() != null) {
            text.append('\n')
                .append(task)
                .append(": ")
                .append(job.error().type())
                .append(": ")
                .append(job.error().message());
          }
        });
    return text.toString();
  }

  /** Draws the DAG and the timeline, fills the jobs; returns the run's jobs (none if unread). */
  private List<Job> draw(Run run) {
    try {
      if (spec == null) {
        spec = session.definition(run.definition(), run.version()).spec();
      }
      Map<String, String> statuses = new HashMap<>();
      run.steps().forEach(s -> statuses.put(s.name(), s.status()));
      dag.removeAll();
      dag.add(svg(RunGraphics.dag(RunGraphics.nodes(spec, statuses))));
      List<RunGraphics.Bar> bars = new ArrayList<>();
      List<Job> all = session.runJobs(run.id());
      jobs.setItems(all);
      for (Job job : all) {
        bars.add(
            new RunGraphics.Bar(
                job.stepId(), job.taskId(), job.status(), job.startedAt(), job.finishedAt()));
      }
      timeline.removeAll();
      timeline.add(svg(RunGraphics.timeline(bars, Instant.now())));
      return all;
    } catch (FlowClientException e) {
      problem.setText("The run's steps cannot be drawn: " + e.getMessage());
      problem.setVisible(true);
      return List.of();
    }
  }

  private void showHistory(String key) {
    try {
      history.setItems(session.stateHistory(runId, key));
      history.setVisible(true);
    } catch (FlowClientException e) {
      problem.setText("The history of " + key + " cannot be read: " + e.getMessage());
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

  /** Moves the events that arrived since the last look onto the page, newest first. */
  private void showArrivedEvents() {
    String line;
    while ((line = arrived.poll()) != null) {
      Div div = new Div(line);
      div.addClassName("flow-event");
      events.addComponentAsFirst(div);
      if (events.getComponentCount() > MAX_EVENT_LINES) {
        events.remove(events.getComponentAt(MAX_EVENT_LINES));
      }
    }
  }
}
