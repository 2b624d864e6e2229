package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code agentainer workflow ...}: workflow runs. */
@Command(
    name = "workflow",
    description = "Workflow runs.",
    subcommands = {WorkflowCommand.Jobs.class})
class WorkflowCommand {

  /** The API's page size when {@code --size} is not given: the API's own default. */
  static final int DEFAULT_SIZE = 50;

  /** {@code agentainer workflow jobs <id>}: a run's jobs by step, then task, then attempt. */
  @Command(
      name = "jobs",
      description = "List the jobs of a workflow run, by step, then task, then attempt.")
  static class Jobs extends ApiCommand {

    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's id")
    String workflowId;

    @Mixin JobListOptions list;

    @Override
    public Integer call() {
      Page<Job> page =
          client()
              .workflowJobs(
                  workflowId,
                  JobStatus.names(list.statuses),
                  list.apiPage() == null ? 0 : list.apiPage(),
                  list.size == null ? DEFAULT_SIZE : list.size);
      if (json()) {
        out().println(Json.write(page));
      } else {
        new JobPrinter(out(), now()).page(page, list.wide);
      }
      return 0;
    }
  }
}
