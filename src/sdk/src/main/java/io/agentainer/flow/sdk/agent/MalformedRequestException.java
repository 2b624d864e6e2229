package io.agentainer.flow.sdk.agent;

/** A {@code POST /task} body the agent cannot read; the message starts with the field's name. */
final class MalformedRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String field;

  MalformedRequestException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  String field() {
    return field;
  }
}
