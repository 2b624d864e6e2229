package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/workflows/stats} counts over a period: runs started and finished per time
 * bucket, runs and their average duration by definition, and the latest failures.
 *
 * @param from the period's start (inclusive)
 * @param to the period's end (exclusive)
 * @param bucketSeconds how long each bucket is
 * @param buckets the period cut into equal buckets, oldest first
 * @param definitions the definitions with runs created in the period, most runs first (up to 20)
 * @param recentFailures runs that failed or timed out in the period, newest first (up to 20)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStats(
    Instant from,
    Instant to,
    long bucketSeconds,
    List<Bucket> buckets,
    List<ByDefinition> definitions,
    List<Failure> recentFailures) {

  public RunStats {
    buckets = buckets == null ? List.of() : List.copyOf(buckets);
    definitions = definitions == null ? List.of() : List.copyOf(definitions);
    recentFailures = recentFailures == null ? List.of() : List.copyOf(recentFailures);
  }

  /** Runs created ({@code started}) and finished, by how they ended, in one bucket. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Bucket(
      Instant start, long started, long succeeded, long failed, long cancelled, long timedOut) {

    /** Runs that ended in this bucket, however they ended. */
    public long finished() {
      return succeeded + failed + cancelled + timedOut;
    }
  }

  /**
   * One definition's runs created in the period.
   *
   * @param failed failed or timed out
   * @param running still pending or running
   * @param averageDurationMs of the finished ones; null when none finished
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ByDefinition(
      String definition,
      long runs,
      long succeeded,
      long failed,
      long running,
      Long averageDurationMs,
      Long maxDurationMs) {}

  /** A run that failed or timed out, with the error it ended with. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Failure(
      String id,
      String definition,
      int version,
      String status,
      Instant finishedAt,
      String errorType,
      String errorMessage) {}
}
