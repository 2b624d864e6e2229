package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.RunRef;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentainer workflow ...}: workflow runs. */
@Command(
    name = "workflow",
    description = "Workflow runs and their state.",
    subcommands = {
      WorkflowCommand.ListRuns.class,
      WorkflowCommand.Status.class,
      WorkflowCommand.Jobs.class,
      WorkflowEventsCommand.class,
      WorkflowStateCommand.class,
      WorkflowCommand.Cancel.class,
      WorkflowCommand.Retry.class
    })
class WorkflowCommand {

  /** The API's page size when {@code --size} is not given: the API's own default. */
  static final int DEFAULT_SIZE = 50;

  /** {@code agentainer workflow list}: runs, newest first. */
  @Command(
      name = "list",
      description = "List workflow runs, newest first.",
      footer = {
        "",
        "Examples:",
        "  agentainer workflow list --definition wordcount --status FAILED,TIMED_OUT"
      })
  static class ListRuns extends ApiCommand {

    @Option(names = "--definition", paramLabel = "NAME", description = "only runs of it")
    String definition;

    @Option(
        names = "--status",
        split = ",",
        paramLabel = "STATUS",
        description =
            "only runs in this status: ${COMPLETION-CANDIDATES}; repeat the option or separate"
                + " statuses with commas for several")
    List<RunStatus> statuses = new ArrayList<>();

    @Option(
        names = "--page",
        paramLabel = "N",
        converter = Converters.PageNumber.class,
        description = "the page to show, from 1 (default: 1)")
    Integer page;

    @Option(
        names = "--size",
        paramLabel = "N",
        converter = Converters.PageSize.class,
        description = "runs per page, 1 to 500 (default: " + DEFAULT_SIZE + ")")
    Integer size;

    @Option(
        names = {"-w", "--wide"},
        description = "show whole ids instead of their first 8 characters")
    boolean wide;

    @Override
    public Integer call() {
      Page<Run> result =
          client()
              .runs(
                  definition,
                  RunStatus.names(statuses),
                  page == null ? 0 : page - 1,
                  size == null ? DEFAULT_SIZE : size);
      if (json()) {
        out().println(Json.write(result));
      } else {
        new RunPrinter(out(), now()).page(result, wide);
      }
      return 0;
    }
  }

  /** {@code agentainer workflow status <id>}: a run, its progress and its steps. */
  @Command(
      name = "status",
      description = "Show a run: status, progress, ETA, input, output, error, and its steps.")
  static class Status extends ApiCommand {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's id")
    String id;

    @Override
    public Integer call() {
      Run run = client().run(id);
      if (json()) {
        out().println(Json.write(run));
      } else {
        new RunPrinter(out(), now()).run(run);
      }
      return 0;
    }
  }

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

  /** {@code agentainer workflow cancel <id>}; an ended run cannot be cancelled (exit code 1). */
  @Command(name = "cancel", description = "Cancel a run, its open steps and their jobs.")
  static class Cancel extends ApiCommand {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's id")
    String id;

    @Override
    public Integer call() {
      return print(client().cancelRun(id));
    }

    int print(RunRef ref) {
      out().println(json() ? Json.write(ref) : "run " + ref.id() + " is " + ref.status());
      return 0;
    }
  }

  /**
   * {@code agentainer workflow retry <id>}: only a FAILED, CANCELLED or TIMED_OUT run (else exit
   * code 1).
   */
  @Command(
      name = "retry",
      description = "Run a failed, cancelled or timed-out run again from its unfinished steps.")
  static class Retry extends Cancel {
    @Override
    public Integer call() {
      return print(client().retryRun(id));
    }
  }
}
