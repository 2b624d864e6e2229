package io.agentainer.flow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobRef;
import io.agentainer.flow.sdk.client.JobRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code agentainer job submit}: starts one job outside any workflow and prints its id; with {@code
 * --wait}, waits for it and prints the finished job, exit code 1 unless it succeeded.
 */
@Command(
    name = "submit",
    description = "Start a job on an agent, outside any workflow, and print its id.",
    footer = {
      "",
      "Examples:",
      "  agentainer job submit --image agentainer/example-agent:latest --handler echo \\",
      "      --input '{\"text\": \"hello\"}' --wait",
      "  agentainer job submit --image agentainer/example-agent:latest \\",
      "      --handler wordcount --input @item.json --mode pooled --timeout 30s"
    })
class JobSubmitCommand extends ApiCommand {

  /** How the job gets an agent. */
  enum Mode {
    cold,
    pooled
  }

  /** Where the agent runs. */
  enum Runtime {
    docker,
    process
  }

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMAGE",
      description = "the agent image, e.g. agentainer/example-agent:latest")
  String image;

  @Option(names = "--handler", paramLabel = "NAME", description = "the agent's handler, e.g. echo")
  String handler;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      converter = Converters.JsonInput.class,
      description = "the task input: JSON, or @file.json to read it from a file")
  JsonNode input;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "${COMPLETION-CANDIDATES}: a new agent per job, or a warm one (default: cold)")
  Mode mode;

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "${COMPLETION-CANDIDATES} (default: the server picks)")
  Runtime runtime;

  @Option(
      names = "--env",
      paramLabel = "NAME=VALUE",
      description = "an environment variable of the agent; repeat for several")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationValue.class,
      description = "the job's time limit: PT1M, 30s, 5m, 1h30m")
  Duration timeout;

  @Option(
      names = "--wait",
      description = "wait for the job to finish, print it, and exit 1 unless it succeeded")
  boolean await;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationValue.class,
      defaultValue = "10m",
      description = "how long --wait waits at most (default: ${DEFAULT-VALUE})")
  Duration waitTimeout;

  @Override
  public Integer call() {
    if (image.isBlank()) {
      throw new ParameterException(spec.commandLine(), "Option '--image' needs an image name");
    }
    JobRequest.Builder request = JobRequest.builder(image).handler(handler).env(env);
    if (input != null) {
      request.input(input);
    }
    if (mode != null) {
      request.executionMode(mode.name().toLowerCase(Locale.ROOT));
    }
    if (runtime != null) {
      request.runtime(runtime.name().toLowerCase(Locale.ROOT));
    }
    request.timeout(timeout);
    JobRef ref = client().submitJob(request.build());
    if (!await) {
      out().println(json() ? Json.write(ref) : ref.id());
      return 0;
    }
    if (!json()) {
      out().println(ref.id());
      out().flush();
    }
    Job job = client().awaitJob(ref.id(), waitTimeout);
    if (json()) {
      out().println(Json.write(job));
    } else {
      new JobPrinter(out(), now()).job(job);
    }
    return job.succeeded() ? 0 : 1;
  }
}
