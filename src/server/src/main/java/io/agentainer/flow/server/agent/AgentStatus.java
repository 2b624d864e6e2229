package io.agentainer.flow.server.agent;

import io.agentainer.flow.server.common.Transitions;

/**
 * {@code STARTING -> IDLE <-> BUSY -> DRAINING -> STOPPED}, with {@code FAILED} from anywhere
 * alive. A cold agent goes {@code STARTING -> BUSY -> STOPPED}.
 */
public enum AgentStatus {
  STARTING,
  IDLE,
  BUSY,
  DRAINING,
  STOPPED,
  FAILED;

  static final Transitions<AgentStatus> TRANSITIONS =
      Transitions.of(AgentStatus.class)
          .allow(STARTING, IDLE, BUSY, STOPPED, FAILED)
          .allow(IDLE, BUSY, DRAINING, STOPPED, FAILED)
          .allow(BUSY, IDLE, DRAINING, STOPPED, FAILED)
          .allow(DRAINING, STOPPED, FAILED)
          .build();
}
