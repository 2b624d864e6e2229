package io.agentainer.flow.sdk.agent;

/**
 * The code of one kind of task, registered on an {@link AgentServer} under a name.
 *
 * <p>A handler returns the task's output: a Jackson {@code JsonNode}, or any value Jackson can
 * write (a record, a map, a list, a string, a number, {@code null}). It fails the task by throwing
 * a {@link TaskFailure}; any other exception is reported as an unexpected, retryable error.
 * Handlers run concurrently on the server's threads and must be thread safe. A long-running handler
 * should watch {@link TaskContext#isCancelled()} or wait with {@link
 * TaskContext#awaitCancellation}.
 */
@FunctionalInterface
public interface TaskHandler {

  /**
   * Runs one task.
   *
   * @return the output, written as the response's {@code output}
   * @throws TaskFailure to fail the task with a type, a message and whether a retry may help
   * @throws Exception anything else fails the task as unexpected (HTTP 500, retryable)
   */
  Object handle(TaskContext context) throws Exception;
}
