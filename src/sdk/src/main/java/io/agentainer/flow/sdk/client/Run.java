package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A workflow run as {@code GET /api/workflows/{id}} shows it, or a row of {@code GET
 * /api/workflows}. Rows leave out {@code input}, {@code output}, {@code progress}, {@code eta},
 * {@code queuePosition} and {@code steps}: those are {@code null} there.
 *
 * <p>Statuses go {@code PENDING → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMED_OUT}; a retry
 * takes a run that ended without success back to {@code RUNNING}.
 *
 * @param version the definition version the run follows
 * @param error why it failed, as the server wrote it (usually {@code {type, message, retryable}})
 * @param progress how much is done, from 0 to 1
 * @param eta when the run is expected to end, when the server can tell
 * @param queuePosition how many queued jobs are ahead of the run's first queued one
 * @param parentRunId the run whose step started this one, for a child run
 * @param trigger what started it: {@code api}, {@code schedule}, {@code child}...
 * @param steps in the order of the definition
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Run(
    String id,
    String definition,
    int version,
    String status,
    JsonNode input,
    JsonNode output,
    JsonNode error,
    Double progress,
    Instant eta,
    Long queuePosition,
    String parentRunId,
    String parentStep,
    String trigger,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    List<Step> steps) {

  public static final String PENDING = "PENDING";
  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String CANCELLED = "CANCELLED";
  public static final String TIMED_OUT = "TIMED_OUT";

  /** Every run status, in lifecycle order. */
  public static final List<String> STATUSES =
      List.of(PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);

  /** The statuses a run stays in unless it is retried. */
  public static final Set<String> FINAL_STATUSES = Set.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);

  public Run {
    steps = steps == null ? null : List.copyOf(steps);
  }

  /** Whether the run has ended (it may still be retried, unless it succeeded). */
  @JsonIgnore
  public boolean finished() {
    return FINAL_STATUSES.contains(status);
  }

  @JsonIgnore
  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  /** The error in words: {@code type: message}, the text the server sent, or {@code null}. */
  @JsonIgnore
  public String errorMessage() {
    return describe(error);
  }

  static String describe(JsonNode error) {
    if (error == null || error.isNull() || error.isMissingNode()) {
      return null;
    }
    if (!error.isObject()) {
      return error.isTextual() ? error.asText() : error.toString();
    }
    String type = error.path("type").isTextual() ? error.get("type").asText() : null;
    String message = error.path("message").isTextual() ? error.get("message").asText() : null;
    if (type == null && message == null) {
      return error.toString();
    }
    return type == null ? message : message == null ? type : type + ": " + message;
  }

  /**
   * One step of a run with its task counters.
   *
   * @param kind {@code task}, {@code parallel}, {@code map}, {@code reduce}, {@code branch}, {@code
   *     workflow}...
   * @param total how many tasks the step has (known once it started)
   * @param attempt how many times the step ran (retries of the run count)
   * @param childRunId the child run, for a step that runs another workflow
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Step(
      String name,
      String kind,
      String status,
      int total,
      int succeeded,
      int failed,
      int running,
      int attempt,
      String childRunId,
      JsonNode output,
      JsonNode error,
      Instant startedAt,
      Instant finishedAt) {

    /** Tasks that ended, either way. */
    @JsonIgnore
    public int done() {
      return succeeded + failed;
    }

    /** The error in words, as {@link Run#errorMessage()}. */
    @JsonIgnore
    public String errorMessage() {
      return describe(error);
    }
  }
}
