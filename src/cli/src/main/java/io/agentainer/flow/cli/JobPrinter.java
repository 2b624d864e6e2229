package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobError;
import io.agentainer.flow.sdk.client.Page;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** How jobs read in a terminal: a list as a table with a page footer, one job as a card. */
final class JobPrinter {

  private final PrintWriter out;
  private final Instant now;

  JobPrinter(PrintWriter out, Instant now) {
    this.out = out;
    this.now = now;
  }

  /**
   * A page of jobs: {@code JOB WORKFLOW STEP TASK STATUS IMAGE HANDLER AGE}, ids cut to 8
   * characters unless {@code wide}, then {@code page 1 of 3 (250 jobs)}; {@code no jobs} when the
   * page is empty.
   */
  void page(Page<Job> page, boolean wide) {
    if (page.items().isEmpty()) {
      out.println(page.total() == 0 ? "no jobs" : "no jobs on page " + (page.page() + 1));
    } else {
      Table table =
          new Table("JOB", "WORKFLOW", "STEP", "TASK", "STATUS", "IMAGE", "HANDLER", "AGE");
      for (Job job : page.items()) {
        table.row(
            id(job.id(), wide),
            id(job.workflowId(), wide),
            job.stepId(),
            job.taskId(),
            job.status(),
            job.image(),
            job.handler(),
            Times.age(job.queuedAt(), now));
      }
      table.print(out);
    }
    if (page.total() > 0) {
      out.printf(
          "page %d of %d (%d %s)%n",
          page.page() + 1,
          Math.max(1, page.totalPages()),
          page.total(),
          page.total() == 1 ? "job" : "jobs");
    }
  }

  /** One job, a field a line; what is missing shows as {@code -}. */
  void job(Job job) {
    Table card = new Table("ID", Table.cell(job.id()));
    String attempts =
        job.maxAttempts() == null
            ? "attempt " + job.attempt()
            : "attempt " + job.attempt() + " of " + job.maxAttempts();
    card.row("STATUS", job.status() + " (" + attempts + ")");
    card.row("WORKFLOW", job.workflowId());
    card.row("STEP", job.stepId());
    card.row("TASK", job.taskId());
    card.row("PARENT", job.parentJobId());
    card.row("IMAGE", job.image());
    card.row("HANDLER", job.handler());
    card.row("MODE", job.executionMode());
    card.row("RUNTIME", job.runtime());
    card.row("AGENT", job.agentId());
    card.row("QUEUED", time(job.queuedAt()) + ago(job.queuedAt()));
    card.row("STARTED", time(job.startedAt()));
    card.row("FINISHED", time(job.finishedAt()) + took(job));
    card.row("ACQUIRE", job.agentAcquireMs() == null ? null : job.agentAcquireMs() + "ms");
    card.row("INPUT", job.input() == null ? null : Json.compact(job.input()));
    if (job.output() != null && !job.output().isNull()) {
      card.row("OUTPUT", Json.compact(job.output()));
    }
    if (job.error() != null) {
      card.row("ERROR", error(job.error()));
    }
    card.print(out);
  }

  static String id(String id, boolean wide) {
    if (id == null || wide || id.length() <= 8) {
      return id;
    }
    return id.substring(0, 8);
  }

  private static String time(Instant time) {
    return time == null ? "-" : time.toString();
  }

  private String ago(Instant time) {
    return time == null ? "" : " (" + Times.age(time, now) + " ago)";
  }

  private static String took(Job job) {
    if (job.startedAt() == null || job.finishedAt() == null) {
      return "";
    }
    return " (took " + Times.format(Duration.between(job.startedAt(), job.finishedAt())) + ")";
  }

  private static String error(JobError error) {
    String text =
        error.type() == null
            ? error.message()
            : error.message() == null ? error.type() : error.type() + ": " + error.message();
    return text + (error.retryable() ? " (retryable)" : " (not retryable)");
  }
}
