package io.agentainer.flow.server.agent;

/** The labels on every agent, so a node can find what it started and whom it served. */
public final class AgentLabels {

  public static final String JOB = "agentainer.job";
  public static final String WORKFLOW = "agentainer.workflow";
  public static final String POOL = "agentainer.pool";
  public static final String NODE = "agentainer.node";
  public static final String AGENT = "agentainer.agent";

  private AgentLabels() {}
}
