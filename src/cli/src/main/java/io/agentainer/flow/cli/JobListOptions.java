package io.agentainer.flow.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Filter and paging options shared by the commands that list jobs. */
class JobListOptions {

  @Option(
      names = "--status",
      split = ",",
      paramLabel = "STATUS",
      description =
          "only jobs in this status: ${COMPLETION-CANDIDATES}; repeat the option or separate"
              + " statuses with commas for several")
  List<JobStatus> statuses = new ArrayList<>();

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
      description = "jobs per page, 1 to 500 (default: the server's)")
  Integer size;

  @Option(
      names = {"-w", "--wide"},
      description = "show whole ids instead of their first 8 characters")
  boolean wide;

  /** The API's page number: the API counts pages from 0, people from 1. */
  Integer apiPage() {
    return page == null ? null : page - 1;
  }
}
