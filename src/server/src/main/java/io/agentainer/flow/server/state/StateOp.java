package io.agentainer.flow.server.state;

/** What a change of state did; each change is one history row with its op. */
public enum StateOp {
  PUT,
  DELETE,
  INCREMENT,
  APPEND,
  ADD_TO_SET,
  COMPARE_AND_SWAP
}
