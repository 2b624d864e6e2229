package io.agentainer.flow.server.definition;

import java.util.Locale;

/** What a step does; written in lower case in a definition ({@code kind: map}). */
public enum StepKind {
  /** One job. */
  TASK,
  /** N jobs, {@code taskId} 0..N-1, from {@code count} or one per entry of {@code params}. */
  PARALLEL,
  /** One job per item of the list that {@code items} evaluates to. */
  MAP,
  /** One job that receives the ordered results of the steps it depends on, failures included. */
  REDUCE,
  /** A condition ({@code when}) picks the next steps ({@code then} or {@code else}). */
  BRANCH,
  /** A child run of another definition. */
  WORKFLOW;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException when {@code value} is no kind
   */
  public static StepKind fromWire(String value) {
    for (StepKind kind : values()) {
      if (kind.wire().equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown kind '" + value + "'; expected one of " + wireNames());
  }

  /** Whether the step fans out into many jobs ({@code parallel}, {@code map}). */
  public boolean fanOut() {
    return this == PARALLEL || this == MAP;
  }

  /** Whether the step runs jobs on agents (everything but {@code branch} and {@code workflow}). */
  public boolean runsJobs() {
    return this != BRANCH && this != WORKFLOW;
  }

  static String wireNames() {
    StringBuilder names = new StringBuilder();
    for (StepKind kind : values()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(kind.wire());
    }
    return names.toString();
  }
}
