package io.agentainer.flow.sdk.workflow;

import io.agentainer.flow.sdk.agent.TaskContext;
import io.agentainer.flow.sdk.agent.TaskFailure;
import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.client.JobRef;
import io.agentainer.flow.sdk.client.JobRequest;
import java.io.PrintStream;
import java.util.Optional;

/** {@link Context} inside an agent, over the task's {@link TaskContext}. */
final class AgentContext implements Context {

  private final TaskContext task;
  private final State state;
  private final Log log;

  AgentContext(TaskContext task, PrintStream out) {
    this.task = task;
    this.state = new RemoteState(task.state());
    String prefix = task.stepId().orElse(task.handler()) + "[" + task.taskId() + "] ";
    this.log =
        new Log() {
          @Override
          public void info(String message) {
            out.println(prefix + message);
          }

          @Override
          public void warn(String message) {
            out.println(prefix + "WARN " + message);
          }
        };
  }

  @Override
  public Optional<String> workflowId() {
    return task.workflowId();
  }

  @Override
  public String stepId() {
    return task.stepId().orElse(task.handler());
  }

  @Override
  public int taskId() {
    return task.taskId();
  }

  @Override
  public String jobId() {
    return task.jobId();
  }

  @Override
  public int attempt() {
    return task.attempt();
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public JobRef startJob(JobRequest request) {
    String api =
        task.flow()
            .apiUrl()
            .orElseThrow(
                () -> TaskFailure.permanent("flow_api", "the task carries no API address"));
    String token =
        task.flow()
            .bearerToken()
            .orElseThrow(() -> TaskFailure.permanent("flow_api", "the task carries no token"));
    return FlowClient.builder().baseUrl(api).token(token).build().submitJob(request);
  }

  @Override
  public Log log() {
    return log;
  }

  @Override
  public boolean isCancelled() {
    return task.isCancelled();
  }
}
