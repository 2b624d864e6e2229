package io.agentainer.flow.server.definition;

/**
 * One thing wrong with a definition or an input: where ({@code steps[count].retry.maxAttempts},
 * {@code input.docs}) and what.
 */
public record Problem(String path, String message) {

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
