package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code agentainer} command. Global options reach every subcommand; the server address and
 * token come from {@code --api}/{@code --token}, else {@code FLOW_API}/{@code FLOW_TOKEN}, else the
 * address {@code flow up} writes and the token file the server writes on first start, else the
 * default address ({@link ClientSettings}).
 *
 * <p>Exit codes: 0 done, 1 failed (the server refused, could not be reached, or a job or run did
 * not succeed), 2 bad usage (a message names the option or argument at fault; also a definition or
 * run input the server found invalid, with each problem). No stack traces.
 */
@Command(
    name = "agentainer",
    // --help and --version on every subcommand too
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Agentainer.Version.class,
    description = "Operate Agentainer Flow: workflows, jobs, pools and schedules.",
    subcommands = {
      HealthCommand.class,
      ListCommand.class,
      JobCommand.class,
      DefinitionCommand.class,
      RunCommand.class,
      WorkflowCommand.class,
      PoolCommand.class,
      CommandLine.HelpCommand.class
    })
public class Agentainer {

  @Option(
      names = "--api",
      scope = ScopeType.INHERIT,
      description =
          "API address (default: $FLOW_API, else the address in ~/.agentainer/api-url that"
              + " 'flow up' writes, else "
              + FlowClient.DEFAULT_BASE_URL
              + ")")
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

  private final Clock clock;
  private final boolean terminal;
  private ClientSettings settings;
  private FlowClient client;

  Agentainer(Clock clock, boolean terminal) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.terminal = terminal;
  }

  /** How results are printed. */
  enum Output {
    table,
    json
  }

  /** The root of the command a subcommand runs in. */
  static Agentainer of(CommandSpec spec) {
    return (Agentainer) spec.root().userObject();
  }

  /** The client for the chosen address and token, made once per command line. */
  FlowClient client() {
    if (client == null) {
      client = FlowClient.builder().baseUrl(settings().api()).token(settings().token()).build();
    }
    return client;
  }

  /** The address and token of this command line, found once. */
  private ClientSettings settings() {
    if (settings == null) {
      settings =
          ClientSettings.resolve(
              api, token, System.getenv(), Path.of(System.getProperty("user.home")));
    }
    return settings;
  }

  /**
   * The token sent with every call: {@code --token}, else {@code FLOW_TOKEN}, else the token file
   * the server writes on first start; null for none. The same one the client sends, for calls the
   * CLI makes itself ({@link StateApi}).
   */
  String token() {
    return settings().token();
  }

  boolean json() {
    return output == Output.json;
  }

  /** The time ages are measured against. */
  Clock clock() {
    return clock;
  }

  /** Whether a person watches: then {@code run --wait} draws a progress line on stderr. */
  boolean terminal() {
    return terminal;
  }

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            Clock.systemUTC(),
            // null when stdin or stdout is not a terminal (piped, redirected, in a script)
            System.console() != null));
  }

  /** Runs a command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, Clock.systemUTC());
  }

  /** {@link #run(String[], PrintWriter, PrintWriter)} with ages measured against {@code clock}. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock) {
    return run(args, out, err, clock, false);
  }

  /**
   * {@link #run(String[], PrintWriter, PrintWriter, Clock)}, drawing progress on {@code err} when
   * it is a {@code terminal}.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock, boolean terminal) {
    CommandLine cli = new CommandLine(new Agentainer(clock, terminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // "--input @file.json" is ours to read, not a picocli argument file
    cli.setExpandAtFiles(false);
    cli.setParameterExceptionHandler(Agentainer::usageError);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            return usageError(
                new CommandLine.ParameterException(commandLine, e.getMessage()), args);
          }
          commandLine.getErr().println("agentainer: " + describe(e));
          return 1;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("agentainer: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
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
