package io.agentainer.flow.server.job;

import java.util.Locale;

/** {@code cold}: an agent per job, removed after; {@code pooled}: a warm agent from a pool. */
public enum ExecutionMode {
  COLD,
  POOLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExecutionMode fromWire(String value) {
    for (ExecutionMode mode : values()) {
      if (mode.wire().equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "executionMode: must be cold or pooled, got '" + value + "'");
  }
}
