package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Job;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agentainer job ...}: single jobs, started by hand or by a workflow. */
@Command(
    name = "job",
    description = "Start, inspect and cancel single jobs.",
    subcommands = {
      JobSubmitCommand.class,
      JobCommand.Get.class,
      JobCommand.Cancel.class,
      JobCommand.Logs.class
    })
class JobCommand {

  /** {@code agentainer job get <id>}. */
  @Command(name = "get", description = "Show a job: status, timings, input, output, error.")
  static class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "JOB_ID", description = "the job's whole id")
    String id;

    @Override
    public Integer call() {
      Job job = client().job(id);
      if (json()) {
        out().println(Json.write(job));
      } else {
        new JobPrinter(out(), now()).job(job);
      }
      return 0;
    }
  }

  /** {@code agentainer job cancel <id>}; a finished job cannot be cancelled (exit code 1). */
  @Command(name = "cancel", description = "Cancel a queued or running job.")
  static class Cancel extends ApiCommand {
    @Parameters(index = "0", paramLabel = "JOB_ID", description = "the job's whole id")
    String id;

    @Override
    public Integer call() {
      Job job = client().cancelJob(id);
      if (json()) {
        out().println(Json.write(job));
      } else {
        out().println("job " + job.id() + " is " + job.status());
      }
      return 0;
    }
  }

  /** {@code agentainer job logs <id>}: what the agent wrote, as the server captured it. */
  @Command(name = "logs", description = "Print what a job's agent wrote to stdout and stderr.")
  static class Logs extends ApiCommand {
    @Parameters(index = "0", paramLabel = "JOB_ID", description = "the job's whole id")
    String id;

    @Override
    public Integer call() {
      String logs = client().jobLogs(id);
      if (json()) {
        out().println(Json.write(Map.of("id", id, "logs", logs)));
      } else {
        out().print(logs);
        if (!logs.isEmpty() && !logs.endsWith("\n")) {
          out().println();
        }
      }
      return 0;
    }
  }
}
