package io.agentainer.flow.sdk.workflow;

import io.agentainer.flow.sdk.agent.AgentEnvironment;
import io.agentainer.flow.sdk.agent.AgentServer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves workflow classes' steps inside an agent: each step becomes handler {@code
 * <workflow>.<step>} of the SDK's agent runtime, which calls the step's method with the task's
 * arguments. One agent can serve several workflows.
 *
 * <pre>{@code
 * // the agent image's main class
 * public static void main(String[] args) throws IOException {
 *   WorkflowAgent.serve(System.getenv(), new Etl(), new WordCount());
 * }
 * }</pre>
 *
 * Or, without writing a main: {@code java -cp app.jar:agentainer-flow-sdk.jar
 * io.agentainer.flow.sdk.workflow.WorkflowAgent com.acme.Etl com.acme.WordCount} (classes with a
 * no-argument constructor).
 */
public final class WorkflowAgent {

  private WorkflowAgent() {}

  /**
   * Registers the steps of {@code workflows} (instances of {@link Workflow} classes) on {@code
   * server}. Steps of classes a workflow {@linkplain Workflow#uses() uses} run on a new instance of
   * that class (no-argument constructor).
   *
   * @throws WorkflowDefinitionException when a class is not a valid workflow
   */
  public static AgentServer registerOn(AgentServer server, Object... workflows) {
    return registerOn(server, System.out, workflows);
  }

  static AgentServer registerOn(AgentServer server, PrintStream log, Object... workflows) {
    for (Object workflow : workflows) {
      WorkflowModel model = WorkflowModel.of(workflow.getClass(), null);
      Map<Class<?>, Object> targets = new HashMap<>();
      targets.put(workflow.getClass(), workflow);
      for (StepModel step : model.steps.values()) {
        if (step.kind() == StepModel.Kind.WORKFLOW) {
          continue; // a child run: the server starts it, no code runs here
        }
        Object target = targets.computeIfAbsent(step.owner(), WorkflowAgent::instantiate);
        server.handle(
            step.handler(),
            task ->
                Bindings.invoke(
                    step,
                    target,
                    new Bindings.Call(
                        new AgentContext(task, log), task.input(), task.results().orElse(null))));
      }
    }
    return server;
  }

  /**
   * Starts an agent configured by {@code env} ({@code FLOW_AGENT_PORT}, ...) serving {@code
   * workflows}, and prints {@code agent listening on host:port} once it serves.
   */
  public static AgentServer serve(Map<String, String> env, Object... workflows) throws IOException {
    AgentServer server =
        AgentServer.builder()
            .environment(AgentEnvironment.of(env))
            .shutdownGrace(Duration.ofSeconds(5))
            .build();
    registerOn(server, workflows).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "flow-agent-shutdown"));
    System.out.println(
        "agent listening on " + server.address().getHostString() + ":" + server.port());
    System.out.flush();
    return server;
  }

  /** Serves the workflow classes named in {@code args} (fully qualified names). */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: WorkflowAgent <workflow class>...");
      System.exit(2);
    }
    List<Object> workflows = new ArrayList<>();
    for (String name : args) {
      try {
        workflows.add(instantiate(Class.forName(name)));
      } catch (ClassNotFoundException e) {
        System.err.println("agent: no class " + name + " on the class path");
        System.exit(2);
      }
    }
    serve(System.getenv(), workflows.toArray());
  }

  static Object instantiate(Class<?> type) {
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new WorkflowDefinitionException(
          type.getSimpleName() + ": needs a constructor without arguments (" + e + ")");
    }
  }
}
