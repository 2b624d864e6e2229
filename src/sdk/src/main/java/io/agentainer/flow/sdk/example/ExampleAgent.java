package io.agentainer.flow.sdk.example;

import io.agentainer.flow.sdk.agent.AgentEnvironment;
import io.agentainer.flow.sdk.agent.AgentServer;
import io.agentainer.flow.sdk.example.workflows.Examples;
import io.agentainer.flow.sdk.workflow.WorkflowAgent;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The example agent's entry point: the SDK's agent runtime with {@link ExampleHandlers}, listening
 * on {@code 127.0.0.1:$FLOW_AGENT_PORT} (0 picks a free port). It prints one line, {@code agent
 * listening on 127.0.0.1:<port>}, to stdout once it serves, and stops gracefully on SIGTERM.
 *
 * <pre>
 * FLOW_AGENT_PORT=9000 java -Dsun.net.httpserver.nodelay=true -jar agentainer-flow-sdk-VERSION-agent.jar
 * </pre>
 */
public final class ExampleAgent {

  /** The line printed once the agent serves, followed by {@code host:port}. */
  public static final String READY_LINE = "agent listening on ";

  private ExampleAgent() {}

  public static void main(String[] args) {
    int status = run(System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Starts the agent as configured by {@code env}, prints the ready line, and leaves it serving:
   * the JDK server's dispatcher thread keeps the JVM alive, and a shutdown hook closes it.
   *
   * @return 0 if it serves, 2 for a bad setting, 1 if it cannot bind
   */
  static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    AgentServer server;
    try {
      server = start(env);
    } catch (IllegalArgumentException e) {
      err.println("agent: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("agent: cannot listen: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "flow-agent-shutdown"));
    out.println(READY_LINE + server.address().getHostString() + ":" + server.port());
    out.flush();
    return 0;
  }

  /**
   * An example agent configured by {@code env} ({@code FLOW_AGENT_PORT}, {@code FLOW_AGENT_HOST},
   * {@code FLOW_HANDLER}, ...), serving all the example handlers. The caller closes it.
   *
   * @throws IllegalArgumentException for a bad setting, naming the variable
   * @throws IOException when the port cannot be bound
   */
  public static AgentServer start(Map<String, String> env) throws IOException {
    AgentServer server =
        AgentServer.builder()
            .environment(AgentEnvironment.of(env))
            .shutdownGrace(Duration.ofSeconds(5))
            .build();
    new ExampleHandlers().registerOn(server);
    // the example workflows' steps too: handlers <workflow>.<step>
    WorkflowAgent.registerOn(server, Examples.all().toArray());
    return server.start();
  }
}
