package io.agentainer.flow.console.ui.dashboard;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.RunStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last 24 hours: runs started and finished per hour with their rates, the average duration of
 * each definition's runs, and the latest failures with a link to each.
 */
public class ActivityCard extends Div {

  /** The period the card looks at. */
  static final Duration PERIOD = Duration.ofHours(24);

  /** One bucket per hour. */
  static final int BUCKETS = 24;

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final ConsoleSession session;

  public ActivityCard(ConsoleSession session) {
    this.session = session;
    addClassName("flow-cards");
    refresh();
  }

  /** Looks at the last 24 hours again. */
  public final void refresh() {
    removeAll();
    Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    RunStats stats;
    try {
      stats = session.runStats(to.minus(PERIOD), to, BUCKETS);
    } catch (FlowClientException e) {
      Paragraph problem = new Paragraph("The last 24 hours cannot be read: " + e.getMessage());
      problem.addClassName("flow-problem");
      add(problem);
      return;
    }
    add(rates(stats), durations(stats), failures(stats));
  }

  static Card rates(RunStats stats) {
    List<String> labels = new ArrayList<>();
    List<Long> started = new ArrayList<>();
    List<Long> succeeded = new ArrayList<>();
    List<Long> failed = new ArrayList<>();
    long allStarted = 0;
    long allFinished = 0;
    for (RunStats.Bucket b : stats.buckets()) {
      labels.add(HOUR.format(b.start()));
      started.add(b.started());
      succeeded.add(b.succeeded());
      failed.add(b.failed() + b.timedOut());
      allStarted += b.started();
      allFinished += b.finished();
    }
    double hours = Math.max(1, stats.bucketSeconds() * stats.buckets().size()) / 3600.0;
    Card card = new Card();
    card.setId("rates-chart");
    card.setTitle("Runs started and finished, last 24 hours (UTC)");
    Span summary =
        new Span(
            String.format(
                Locale.ROOT,
                "%d started (%.1f/h) · %d finished (%.1f/h)",
                allStarted,
                allStarted / hours,
                allFinished,
                allFinished / hours));
    summary.setId("rates-summary");
    summary.addClassName("flow-card-summary");
    card.add(
        summary,
        graphic(
            ColumnChart.svg(
                "Runs started and finished per hour",
                labels,
                List.of(
                    new ColumnChart.Series("started", "flow-chart-neutral", started),
                    new ColumnChart.Series("succeeded", "flow-chart-ok", succeeded),
                    new ColumnChart.Series("failed", "flow-chart-bad", failed)))));
    return card;
  }

  static Card durations(RunStats stats) {
    List<BarChart.Bar> bars = new ArrayList<>();
    for (RunStats.ByDefinition d : stats.definitions()) {
      if (d.averageDurationMs() != null && bars.size() < 8) {
        bars.add(
            new BarChart.Bar(
                d.definition(),
                d.averageDurationMs() / 1000.0,
                d.failed() > 0 ? "flow-chart-warn" : "flow-chart-ok"));
      }
    }
    Card card = new Card();
    card.setId("durations-chart");
    card.setTitle("Average run duration by definition");
    card.add(
        bars.isEmpty()
            ? new Span("No run finished in the last 24 hours")
            : graphic(BarChart.svg("Average run duration, seconds", bars, "%.1f s")));
    return card;
  }

  static Card failures(RunStats stats) {
    Card card = new Card();
    card.setId("recent-failures");
    card.setTitle("Recent failures");
    if (stats.recentFailures().isEmpty()) {
      card.add(new Span("No failed run in the last 24 hours"));
      return card;
    }
    Div list = new Div();
    list.addClassName("flow-failures");
    for (RunStats.Failure f :
        stats.recentFailures().subList(0, Math.min(6, stats.recentFailures().size()))) {
      Anchor link = new Anchor("runs/" + f.id(), f.definition() + " v" + f.version());
      Span when = new Span(Formats.time(f.finishedAt()));
      when.addClassName("flow-failure-time");
      Span why =
          new Span(
              (f.errorType() == null ? f.status() : f.errorType())
                  + (f.errorMessage() == null ? "" : ": " + f.errorMessage()));
      why.addClassName("flow-failure-reason");
      Div row = new Div(link, when, why);
      row.addClassName("flow-failure");
      list.add(row);
    }
    card.add(list);
    return card;
  }

  private static Html graphic(String svg) {
    return new Html("<div class=\"flow-graphic\">" + svg + "</div>");
  }
}
