package io.agentainer.flow.server.node;

import io.agentainer.flow.server.common.Transitions;

/**
 * The life of a server node: {@code ACTIVE} while it runs, {@code STOPPED} after a clean shutdown;
 * a node that starts again (after a stop or a crash) is {@code ACTIVE} again.
 */
public enum NodeStatus {
  ACTIVE,
  STOPPED;

  static final Transitions<NodeStatus> TRANSITIONS =
      Transitions.of(NodeStatus.class)
          .allow(ACTIVE, STOPPED, ACTIVE)
          .allow(STOPPED, ACTIVE)
          .build();
}
