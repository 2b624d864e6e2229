package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One thing wrong with a definition or a run's input, as a 400 lists it in {@code
 * details.problems}: where ({@code steps[count].retry.maxAttempts}, {@code input.docs}) and what.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(String path, String message) {

  /** {@code path: message}, or only the message when there is no path. */
  @Override
  public String toString() {
    return path == null || path.isBlank() ? message : path + ": " + message;
  }
}
