package io.agentainer.flow.sdk.client;

/**
 * A call to the Agentainer Flow API failed: the server answered with an error or did not answer.
 */
public class FlowClientException extends RuntimeException {

  private final int status;
  private final String code;

  public FlowClientException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public FlowClientException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.code = "unreachable";
  }

  /** The HTTP status, or 0 when the server could not be reached. */
  public int status() {
    return status;
  }

  /** The error code the server sent ({@code error.code}), or a client-side code. */
  public String code() {
    return code;
  }
}
