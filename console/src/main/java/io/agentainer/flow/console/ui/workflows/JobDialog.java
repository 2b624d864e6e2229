package io.agentainer.flow.console.ui.workflows;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.console.ui.Formats;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Job;

/** A job drilled into: its ids and times, input, output or error, and its logs. */
final class JobDialog extends Dialog {

  JobDialog(ConsoleSession session, String jobId) {
    setId("job-dialog");
    setWidth("min(56rem, 95vw)");
    Job job;
    try {
      job = session.job(jobId);
    } catch (FlowClientException e) {
      setHeaderTitle("Job " + jobId);
      add(new Paragraph("The job cannot be read: " + e.getMessage()));
      getFooter().add(new Button("Close", click -> close()));
      return;
    }
    setHeaderTitle(
        job.stepId() + (job.taskId() == null ? "" : " #" + job.taskId()) + " · " + job.status());
    Paragraph facts =
        new Paragraph(
            "Job "
                + job.id()
                + " · attempt "
                + job.attempt()
                + " · "
                + job.executionMode()
                + " on "
                + job.image()
                + " ("
                + job.handler()
                + ") · queued "
                + Formats.time(job.queuedAt())
                + " · took "
                + Formats.duration(job.startedAt(), job.finishedAt()));
    add(
        facts,
        new H3("Input"),
        block("job-input", job.input() == null ? "null" : job.input().toPrettyString()));
    if (job.error() != null) {
      add(
          new H3("Error"),
          block(
              "job-error",
              job.error().type()
                  + ": "
                  + job.error().message()
                  + (job.error().retryable() ? " (retryable)" : "")));
    } else {
      add(
          new H3("Output"),
          block("job-output", job.output() == null ? "(none yet)" : job.output().toPrettyString()));
    }
    String logs;
    try {
      logs = session.jobLogs(jobId);
    } catch (FlowClientException e) {
      logs = "(the logs cannot be read: " + e.getMessage() + ")";
    }
    add(new H3("Logs"), block("job-logs", logs == null || logs.isBlank() ? "(empty)" : logs));
    Button close = new Button("Close", click -> close());
    close.setId("job-dialog-close");
    getFooter().add(close);
  }

  private static Pre block(String id, String text) {
    Pre pre = new Pre(text);
    pre.setId(id);
    pre.addClassName("flow-json");
    return pre;
  }
}
