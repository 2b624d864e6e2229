package io.agentainer.flow.server.common;

/** A status change that the entity's table of transitions does not allow. */
public class IllegalTransitionException extends IllegalStateException {

  private final String from;
  private final String to;

  public IllegalTransitionException(String what, String from, String to) {
    super(what + " cannot move from " + from + " to " + to);
    this.from = from;
    this.to = to;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }
}
