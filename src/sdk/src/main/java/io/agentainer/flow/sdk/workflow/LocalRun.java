package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a {@link LocalRunner}: run it to the end ({@link #runToEnd()}) or a step at a time
 * ({@link #next()}), and look at its steps, results, state, events and logs in between. The {@code
 * assert...} methods throw {@link AssertionError} with what differs.
 */
public final class LocalRun {

  /** A step's status: as on the server. */
  public enum Status {
    PENDING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED
  }

  /** One task of a step: its number, status, attempts made, output or error. */
  public record Task(int taskId, Status status, int attempts, JsonNode output, String error) {}

  /** One step once it ran: status, output (a fan-out's outputs as a list), tasks, error. */
  public record StepOutcome(
      String name, Status status, JsonNode output, List<Task> tasks, String error) {}

  private final LocalRunner.Execution execution;

  LocalRun(LocalRunner.Execution execution) {
    this.execution = execution;
  }

  /** Whether a step is still to run (and the run has not failed). */
  public boolean hasNext() {
    return execution.hasNext();
  }

  /**
   * Runs the next step whose dependencies are done (in declaration order) and returns it.
   *
   * @throws IllegalStateException when no step is left
   */
  public StepOutcome next() {
    return execution.next();
  }

  /** Runs every step left, independent steps at the same time; returns this run. */
  public LocalRun runToEnd() {
    execution.runToEnd();
    return this;
  }

  /** {@code SUCCEEDED}, {@code FAILED}, or {@code PENDING} while steps are left. */
  public Status status() {
    return execution.status();
  }

  /** Why the run failed, or empty. */
  public Optional<String> error() {
    return Optional.ofNullable(execution.error());
  }

  /** The run's output: the output of its last step, or of its last steps by name. */
  public JsonNode output() {
    return execution.output();
  }

  /** The run's output converted to {@code type}. */
  public <T> T output(Class<T> type) {
    return Bindings.JSON.convertValue(output(), type);
  }

  /** A step that ran. */
  public StepOutcome step(String name) {
    StepOutcome step = execution.outcomes().get(name);
    if (step == null) {
      throw new IllegalArgumentException(
          "step '" + name + "' has not run; ran: " + execution.outcomes().keySet());
    }
    return step;
  }

  /** The steps that ran, in the order they ended. */
  public List<StepOutcome> steps() {
    return List.copyOf(execution.outcomes().values());
  }

  /** A step's result converted to {@code type}. */
  public <T> T result(String step, Class<T> type) {
    return Bindings.JSON.convertValue(step(step).output(), type);
  }

  /** The state now, as a snapshot. */
  public Map<String, JsonNode> state() {
    return execution.state().snapshot();
  }

  /** The value at {@code key} now. */
  public Optional<JsonNode> state(String key) {
    return execution.state().get(key);
  }

  /** Every change of the state, in order: {@code key op value}. */
  public List<String> stateHistory() {
    List<String> out = new ArrayList<>();
    for (MemoryState.Change c : execution.state().history()) {
      out.add(c.key() + " " + c.op() + " " + c.value());
    }
    return out;
  }

  /** The run's events, in order: {@code step.started extract}, {@code step.succeeded extract}. */
  public List<String> events() {
    return Collections.unmodifiableList(new ArrayList<>(execution.events()));
  }

  /** The lines its steps logged through {@link Context#log()}. */
  public List<String> logs() {
    return Collections.unmodifiableList(new ArrayList<>(execution.logs()));
  }

  // ---- assertions -----------------------------------------------------------------------------

  /** Asserts the run succeeded. */
  public LocalRun assertSucceeded() {
    if (status() != Status.SUCCEEDED) {
      throw new AssertionError("expected the run to succeed, it is " + status() + describe());
    }
    return this;
  }

  /** Asserts the run failed. */
  public LocalRun assertFailed() {
    if (status() != Status.FAILED) {
      throw new AssertionError("expected the run to fail, it is " + status() + describe());
    }
    return this;
  }

  /** Asserts a step ended with {@code status}. */
  public LocalRun assertStep(String name, Status status) {
    StepOutcome step = execution.outcomes().get(name);
    if (step == null || step.status() != status) {
      throw new AssertionError(
          "expected step "
              + name
              + " to be "
              + status
              + ", it is "
              + (step == null ? "not run" : step.status() + describe()));
    }
    return this;
  }

  /** Asserts state {@code key} holds {@code expected} (compared as JSON, numbers by value). */
  public LocalRun assertState(String key, Object expected) {
    JsonNode want = Bindings.JSON.valueToTree(expected);
    JsonNode have = state(key).orElse(null);
    if (have == null || !same(have, want)) {
      throw new AssertionError("expected state " + key + " = " + want + ", it is " + have);
    }
    return this;
  }

  /** Asserts the run's output equals {@code expected} (compared as JSON). */
  public LocalRun assertOutput(Object expected) {
    JsonNode want = Bindings.JSON.valueToTree(expected);
    if (output() == null || !same(output(), want)) {
      throw new AssertionError("expected output " + want + ", it is " + output());
    }
    return this;
  }

  /** JSON equality with numbers compared by value (1 equals 1.0 and 1L). */
  static boolean same(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) ->
            x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1,
        b);
  }

  private String describe() {
    Map<String, String> failed = new LinkedHashMap<>();
    execution.outcomes().values().stream()
        .filter(s -> s.error() != null)
        .forEach(s -> failed.put(s.name(), s.error()));
    return (error().map(e -> ": " + e).orElse("")) + (failed.isEmpty() ? "" : " " + failed);
  }
}
