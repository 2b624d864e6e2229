package io.agentainer.flow.server.definition;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a step's failed jobs are tried again: at most {@code maxAttempts} attempts in all (1 = no
 * retry); before attempt n (n &ge; 2) the job waits {@code initialDelay} &times; 2<sup>n-2</sup>
 * ({@code exponential}) or {@code initialDelay} ({@code fixed}), at most {@code maxDelay}, varied
 * at random by up to {@code jitter} (a fraction, 0..1) either way. Errors an agent marks
 * non-retryable are not retried whatever this says: that is the engine's call.
 */
public record RetrySpec(
    int maxAttempts, String backoff, Duration initialDelay, Duration maxDelay, double jitter) {

  public static final String EXPONENTIAL = "exponential";
  public static final String FIXED = "fixed";
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(1);
  public static final double DEFAULT_JITTER = 0.2;

  /** One attempt, no retry; also what a definition without {@code retry} gets. */
  public static final RetrySpec NONE =
      new RetrySpec(1, EXPONENTIAL, DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY, DEFAULT_JITTER);

  public RetrySpec {
    backoff = backoff == null ? EXPONENTIAL : backoff;
    initialDelay = initialDelay == null ? DEFAULT_INITIAL_DELAY : initialDelay;
    maxDelay = maxDelay == null ? DEFAULT_MAX_DELAY : maxDelay;
  }

  /** {@code maxAttempts} with every other setting at its default. */
  public static RetrySpec attempts(int maxAttempts) {
    return new RetrySpec(maxAttempts, null, null, null, DEFAULT_JITTER);
  }

  /**
   * How long to wait before attempt {@code attempt} (2 for the first retry).
   *
   * @param random the source of the jitter (a seeded one in tests)
   * @throws IllegalArgumentException when {@code attempt} is less than 2
   */
  public Duration delayBefore(int attempt, RandomGenerator random) {
    if (attempt < 2) {
      throw new IllegalArgumentException("attempt: the first retry is attempt 2, got " + attempt);
    }
    Objects.requireNonNull(random, "random");
    double cap = maxDelay.toNanos();
    double base = initialDelay.toNanos();
    if (EXPONENTIAL.equals(backoff)) {
      // 2^62 nanoseconds is over a century: past that the cap applies anyway
      base = base * Math.pow(2, Math.min(attempt - 2, 62));
    }
    base = Math.min(base, cap);
    double factor = jitter <= 0 ? 1 : 1 + jitter * (2 * random.nextDouble() - 1);
    double nanos = Math.min(Math.max(base * factor, 0), cap);
    return Duration.ofNanos(Math.round(nanos));
  }
}
