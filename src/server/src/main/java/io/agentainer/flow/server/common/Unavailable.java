package io.agentainer.flow.server.common;

/**
 * Something the server needs cannot be reached just now (the database restarting, say): nothing was
 * changed, and the same request may be sent again. Answered as 503.
 */
public class Unavailable extends RuntimeException {

  public Unavailable(String what, Throwable cause) {
    super(what + " cannot be reached just now: " + cause.getMessage(), cause);
  }
}
