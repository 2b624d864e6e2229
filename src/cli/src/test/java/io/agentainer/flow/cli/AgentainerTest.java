package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AgentainerTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Agentainer.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("agentainer")
        .contains("health")
        .contains("list")
        .contains("job")
        .contains("definition")
        .contains("run")
        .contains("workflow");
  }

  @Test
  void theWorkflowAndDefinitionGroupsListTheirCommands() {
    assertThat(run("workflow", "--help")).isZero();
    assertThat(out.toString())
        .contains("list")
        .contains("status")
        .contains("jobs")
        .contains("events")
        .contains("state")
        .contains("cancel")
        .contains("retry");
    assertThat(run("definition", "--help")).isZero();
    assertThat(out.toString()).contains("apply").contains("validate");
    assertThat(run("run", "--help")).isZero();
    assertThat(out.toString()).contains("--param").contains("--idempotency-key").contains("--wait");
  }

  @Test
  void everySubcommandHasHelp() {
    assertThat(run("job", "submit", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: agentainer job submit").contains("--input");
    assertThat(run("workflow", "jobs", "-h")).isZero();
    assertThat(out.toString()).contains("Usage: agentainer workflow jobs");
  }

  @Test
  void aUsageErrorPointsToTheCommandsHelp() {
    assertThat(run("job", "get")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "agentainer: Missing required parameter: 'JOB_ID'\n"
                + "Try 'agentainer job get --help' for usage.\n");
  }

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    assertThat(run("health", "--colour")).isEqualTo(2);
    assertThat(err.toString()).contains("--colour");
  }

  @Test
  void aBadOutputFormatNamesTheOption() {
    assertThat(run("health", "--output", "yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("--output").contains("yaml");
  }

  @Test
  void anUnreachableServerIsAnErrorNotAStackTrace() {
    assertThat(run("health", "--api", "http://127.0.0.1:1/api")).isEqualTo(1);
    assertThat(err.toString()).startsWith("agentainer: cannot reach http://127.0.0.1:1/api/health");
    assertThat(err.toString()).doesNotContain("Exception");
  }
}
