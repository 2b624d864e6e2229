package io.agentainer.flow.server.agent;

import java.util.List;
import java.util.OptionalInt;

/**
 * Where agents run: a Docker engine, or local processes. Every implementation passes the same
 * contract test suite. An agent serves the task protocol on {@link AgentHandle#endpoint()} once
 * started; the runtime does not wait for it to be ready (see {@link AgentClient#awaitReady}).
 */
public interface AgentRuntime {

  /** {@code docker} or {@code process}. */
  String name();

  /** Whether this runtime can start agents now (an engine answers, a command exists). */
  boolean available();

  /** Whether {@code image} can be started here (the image exists, or maps to a command). */
  boolean knows(String image);

  /**
   * Starts an agent.
   *
   * @throws AgentStartException when it cannot be started (unknown image, engine down, limits)
   */
  AgentHandle start(AgentLaunch launch);

  /** Whether the agent's container or process is still running. */
  boolean isRunning(AgentHandle agent);

  /** How the agent ended, once it has. */
  OptionalInt exitCode(AgentHandle agent);

  /** What the agent wrote to stdout and stderr so far (the tail, at most {@code maxChars}). */
  String logs(AgentHandle agent, int maxChars);

  /** Stops the agent and removes its container or process; harmless when already gone. */
  void stop(AgentHandle agent);

  /** Every agent of this runtime carrying the {@link AgentLabels#NODE} label, running or not. */
  List<AgentHandle> listLabelled();
}
