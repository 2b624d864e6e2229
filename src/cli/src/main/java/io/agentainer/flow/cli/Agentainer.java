package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowClient;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code agentainer} command. Global options reach every subcommand; the server address and
 * token come from {@code --api}/{@code --token}, else {@code FLOW_API}/{@code FLOW_TOKEN}, else the
 * default address and the token file the server writes on first start.
 */
@Command(
    name = "agentainer",
    mixinStandardHelpOptions = true,
    versionProvider = Agentainer.Version.class,
    description = "Operate Agentainer Flow: workflows, jobs, pools and schedules.",
    subcommands = {HealthCommand.class, CommandLine.HelpCommand.class})
public class Agentainer {

  @Option(
      names = "--api",
      scope = ScopeType.INHERIT,
      description = "API address (default: $FLOW_API or " + FlowClient.DEFAULT_BASE_URL + ")")
  String api;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      description = "bearer token (default: $FLOW_TOKEN or ~/.agentainer/admin-token)")
  String token;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      description = "table or json (default: ${DEFAULT-VALUE})",
      defaultValue = "table")
  Output output;

  /** How results are printed. */
  enum Output {
    table,
    json
  }

  FlowClient client() {
    FlowClient.Builder builder = FlowClient.builder().fromEnvironment();
    if (api != null) {
      builder.baseUrl(api);
    }
    if (token != null) {
      builder.token(token);
    }
    return builder.build();
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Agentainer());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("agentainer: " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }

  /** The version from the jar's manifest. */
  static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Agentainer.class.getPackage().getImplementationVersion();
      return new String[] {"agentainer " + (v == null ? "development" : v)};
    }
  }
}
