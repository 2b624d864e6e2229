package io.agentainer.flow.sdk.agent;

/**
 * A task in progress on an {@link AgentServer}: the handler's context and the thread it runs on, so
 * a cancel can both flag and interrupt it. The interrupt never outlives the handler: {@link
 * #finish()} clears it before the response is written (an interrupted thread would close the
 * connection's channel under the response).
 */
final class RunningTask {

  private final TaskContext context;
  private final Thread thread;
  private boolean finished;

  RunningTask(TaskContext context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  String jobId() {
    return context.jobId();
  }

  synchronized void cancel() {
    context.cancel();
    if (!finished) {
      thread.interrupt();
    }
  }

  /** Called on the task's own thread once the handler returned or threw. */
  synchronized void finish() {
    finished = true;
    if (Thread.currentThread() == thread) {
      Thread.interrupted();
    }
  }
}
