package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the API: reaches the root's client, output format, clock and writer. */
abstract class ApiCommand implements Callable<Integer> {

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
}
