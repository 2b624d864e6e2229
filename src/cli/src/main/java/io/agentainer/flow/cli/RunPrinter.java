package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Run;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How runs read in a terminal: a list as a table with a page footer, one run as a card. */
final class RunPrinter {

  private final PrintWriter out;
  private final Instant now;

  RunPrinter(PrintWriter out, Instant now) {
    this.out = out;
    this.now = now;
  }

  /**
   * A page of runs: {@code RUN DEFINITION VERSION STATUS TRIGGER AGE TOOK}, ids cut to 8 characters
   * unless {@code wide}, then {@code page 1 of 3 (250 runs)}; {@code no runs} when empty.
   */
  void page(Page<Run> page, boolean wide) {
    if (page.items().isEmpty()) {
      out.println(page.total() == 0 ? "no runs" : "no runs on page " + (page.page() + 1));
    } else {
      Table table = new Table("RUN", "DEFINITION", "VERSION", "STATUS", "TRIGGER", "AGE", "TOOK");
      for (Run run : page.items()) {
        table.row(
            JobPrinter.id(run.id(), wide),
            run.definition(),
            run.version(),
            run.status(),
            run.trigger(),
            Times.age(run.createdAt(), now),
            took(run.startedAt(), run.finishedAt()));
      }
      table.print(out);
    }
    if (page.total() > 0) {
      out.printf(
          "page %d of %d (%d %s)%n",
          page.page() + 1,
          Math.max(1, page.totalPages()),
          page.total(),
          page.total() == 1 ? "run" : "runs");
    }
  }

  /** One run, a field a line, then its steps as a table. */
  void run(Run run) {
    Table card = new Table("ID", Table.cell(run.id()));
    card.row("DEFINITION", run.definition() + " (version " + run.version() + ")");
    card.row("STATUS", run.status());
    if (run.progress() != null) {
      card.row("PROGRESS", progress(run));
    }
    if (run.queuePosition() != null && run.queuePosition() > 0 && !run.finished()) {
      card.row(
          "QUEUE", run.queuePosition() + (run.queuePosition() == 1 ? " job" : " jobs") + " ahead");
    }
    if (run.parentRunId() != null) {
      card.row(
          "PARENT",
          run.parentRunId() + (run.parentStep() == null ? "" : " (step " + run.parentStep() + ")"));
    }
    card.row("TRIGGER", run.trigger());
    card.row("CREATED", time(run.createdAt()) + ago(run.createdAt()));
    card.row("STARTED", time(run.startedAt()));
    String took = took(run.startedAt(), run.finishedAt());
    card.row("FINISHED", time(run.finishedAt()) + (took == null ? "" : " (took " + took + ")"));
    if (run.input() != null) {
      card.row("INPUT", Json.compact(run.input()));
    }
    if (run.output() != null && !run.output().isNull()) {
      card.row("OUTPUT", Json.compact(run.output()));
    }
    if (run.errorMessage() != null) {
      card.row("ERROR", run.errorMessage());
    }
    card.print(out);
    if (run.steps() != null && !run.steps().isEmpty()) {
      out.println();
      Table steps = new Table("NAME", "KIND", "STATUS", "TOTAL", "OK", "FAILED", "RUNNING");
      for (Run.Step step : run.steps()) {
        steps.row(
            step.name(),
            step.kind(),
            step.status(),
            step.total(),
            step.succeeded(),
            step.failed(),
            step.running());
      }
      steps.print(out);
    }
  }

  private String progress(Run run) {
    String percent = String.format(Locale.ROOT, "%d%%", ProgressLine.percent(run.progress()));
    if (run.eta() == null || run.finished() || !run.eta().isAfter(now)) {
      return percent;
    }
    return percent + " (eta " + Times.remaining(Duration.between(now, run.eta())) + ")";
  }

  private static String time(Instant time) {
    return time == null ? "-" : time.toString();
  }

  private String ago(Instant time) {
    return time == null ? "" : " (" + Times.age(time, now) + " ago)";
  }

  private static String took(Instant started, Instant finished) {
    if (started == null || finished == null) {
      return null;
    }
    return Times.format(Duration.between(started, finished));
  }
}
