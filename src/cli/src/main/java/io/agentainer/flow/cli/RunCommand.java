package io.agentainer.flow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.RunRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code agentainer run <definition>}: starts a run of a definition's latest version and prints its
 * id; with {@code --wait}, follows it to its end (a progress line on a terminal), prints the run
 * and exits 1 unless it succeeded.
 */
@Command(
    name = "run",
    description = "Start a run of a workflow definition and print its id.",
    footer = {
      "",
      "--param values are JSON when they read as JSON (10, true, null, [1,2], {\"a\":1},"
          + " '\"10\"'), else strings; dots in a key nest it (limits.max=5). They are set in"
          + " --input's object, a later one winning.",
      "",
      "Examples:",
      "  agentainer run wordcount --param docs='[\"a b\", \"c\"]' \\",
      "      --param limits.max=5 --wait",
      "  agentainer run etl --input @input.json --idempotency-key nightly-2025-01-02"
    })
class RunCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "DEFINITION", description = "the definition's name")
  String definition;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      converter = Params.Converter.class,
      description = "one value of the input; repeat for several")
  List<Params.Param> params = new ArrayList<>();

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      converter = Converters.JsonInput.class,
      description = "the whole input as a JSON object, or @file.json to read it from a file")
  JsonNode input;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "starting again with the same key answers the same run (1 to 200 characters)")
  String idempotencyKey;

  @Option(
      names = "--wait",
      description = "wait for the run to end, print it, and exit 1 unless it succeeded")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationValue.class,
      defaultValue = "10m",
      description = "how long --wait waits at most (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() {
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--idempotency-key': must not be blank");
    }
    ObjectNode body;
    try {
      body = Params.merge(input, params);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    RunRef ref;
    try {
      ref = client().startRun(definition, body, idempotencyKey);
    } catch (FlowClientException e) {
      if (e.status() == 400 && "invalid_input".equals(e.code())) {
        return invalid(
            "the input does not fit the parameters of " + definition,
            DefinitionCommand.problems(e));
      }
      throw e;
    }
    if (!ref.created()) {
      err().println("run " + ref.id() + " was already started with this idempotency key");
    }
    if (!await) {
      out().println(json() ? Json.write(ref) : ref.id());
      return 0;
    }
    if (ref.created() && !json()) {
      err().println("run " + ref.id() + " started");
    }
    ProgressLine progress =
        root().terminal() && !json() ? new ProgressLine(err(), root().clock()) : null;
    Run run;
    try {
      run =
          client()
              .awaitRun(
                  ref.id(),
                  timeout,
                  look -> {
                    if (progress != null) {
                      progress.show(look);
                    }
                  });
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    if (json()) {
      out().println(Json.write(run));
    } else {
      new RunPrinter(out(), now()).run(run);
    }
    return run.succeeded() ? 0 : 1;
  }
}
