package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobFilter;
import io.agentainer.flow.sdk.client.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agentainer list}: jobs, newest first, with the workflow and step each belongs to. */
@Command(
    name = "list",
    description = "List jobs, newest first, with their workflow and step.",
    footer = {
      "",
      "Examples:",
      "  agentainer list --status QUEUED --status RUNNING",
      "  agentainer list --workflow 9a8b7c6d-1111-2222-3333-444455556666 \\",
      "      --page 2 --size 20"
    })
class ListCommand extends ApiCommand {

  @Option(
      names = "--workflow",
      paramLabel = "ID",
      description = "only the jobs of this workflow run (its whole id)")
  String workflowId;

  @Mixin JobListOptions list;

  @Override
  public Integer call() {
    JobFilter.Builder filter =
        JobFilter.builder().workflowId(workflowId).statuses(JobStatus.names(list.statuses));
    if (list.apiPage() != null) {
      filter.page(list.apiPage());
    }
    if (list.size != null) {
      filter.size(list.size);
    }
    Page<Job> page = client().jobs(filter.build());
    if (json()) {
      out().println(Json.write(page));
    } else {
      new JobPrinter(out(), now()).page(page, list.wide);
    }
    return 0;
  }
}
