package io.agentainer.flow.server.node;

import io.agentainer.flow.server.common.Transitions;

/** The life of a server node: it starts {@code ACTIVE} and ends {@code STOPPED}. */
public enum NodeStatus {
  ACTIVE,
  STOPPED;

  static final Transitions<NodeStatus> TRANSITIONS =
      Transitions.of(NodeStatus.class).allow(ACTIVE, STOPPED).build();
}
