package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.ServerHealth;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code agentainer health}: the server and its dependencies; exit code 1 when it is down. */
@Command(
    name = "health",
    description = "Show whether the server, database, Redis and Docker are up.")
class HealthCommand implements Callable<Integer> {

  @ParentCommand Agentainer root;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ServerHealth health = root.client().health();
    PrintWriter out = spec.commandLine().getOut();
    if (root.output == Agentainer.Output.json) {
      out.println(Json.write(health));
    } else {
      out.printf("%-10s %-9s %s%n", "CHECK", "STATUS", "DETAIL");
      out.printf("%-10s %-9s %s%n", "server", health.status(), root.client().baseUrl());
      for (Map.Entry<String, ServerHealth.Check> check : health.checks().entrySet()) {
        out.printf(
            "%-10s %-9s %s%n",
            check.getKey(), check.getValue().status(), check.getValue().detail());
      }
    }
    return "DOWN".equals(health.status()) ? 1 : 0;
  }
}
