package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.client.Problem;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the API: reaches the root's client, output format, clock and writers. */
abstract class ApiCommand implements Callable<Integer> {

  /** The exit code of bad usage, and of a definition or input the server found invalid. */
  static final int USAGE = 2;

  @Spec CommandSpec spec;

  Agentainer root() {
    return Agentainer.of(spec);
  }

  FlowClient client() {
    return root().client();
  }

  boolean json() {
    return root().json();
  }

  Instant now() {
    return root().clock().instant();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Reports what the server found wrong with a definition or an input, and returns exit code 2:
   * {@code agentainer: <what>:} then one {@code path: message} line per problem on stderr, or with
   * {@code --output json} <code>{"valid": false, "problems": [...]}</code> on stdout.
   */
  int invalid(String what, List<Problem> problems) {
    if (json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("valid", false);
      answer.put("problems", problems);
      out().println(Json.write(answer));
    } else {
      err().println("agentainer: " + what + ":");
      problems.forEach(problem -> err().println(problem));
    }
    return USAGE;
  }
}
