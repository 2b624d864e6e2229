package io.agentainer.flow.sdk.agent;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * How a task calls the Flow API: the HTTP client, the time limit of one call, and how long
 * transient failures (no connection, 408, 429, 502, 503, 504) are retried, with pauses that double
 * from {@code firstBackoff} up to {@code maxBackoff}, each shortened by a random part of up to
 * half.
 */
record ApiSettings(
    Supplier<HttpClient> http,
    Duration timeout,
    Duration retryTime,
    Duration firstBackoff,
    Duration maxBackoff) {

  /** The JDK client all tasks share unless the server is given one; made on first use. */
  private static final class DefaultClient {
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  static final Supplier<HttpClient> DEFAULT_CLIENT = () -> DefaultClient.INSTANCE;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Long enough for the server to restart. */
  static final Duration DEFAULT_RETRY_TIME = Duration.ofMinutes(2);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  static final ApiSettings DEFAULT = of(DEFAULT_CLIENT, DEFAULT_TIMEOUT, DEFAULT_RETRY_TIME);

  ApiSettings {
    Objects.requireNonNull(http, "http");
    requirePositive(timeout, "timeout");
    Objects.requireNonNull(retryTime, "retryTime");
    if (retryTime.isNegative()) {
      throw new IllegalArgumentException("retryTime: must not be negative, got " + retryTime);
    }
    requirePositive(firstBackoff, "firstBackoff");
    requirePositive(maxBackoff, "maxBackoff");
  }

  static ApiSettings of(Supplier<HttpClient> http, Duration timeout, Duration retryTime) {
    return new ApiSettings(http, timeout, retryTime, FIRST_BACKOFF, MAX_BACKOFF);
  }

  ApiSettings withRetryTime(Duration retryTime) {
    return new ApiSettings(http, timeout, retryTime, firstBackoff, maxBackoff);
  }

  /**
   * The pause before retry number {@code retry} (1 for the first): {@code firstBackoff * 2^(retry -
   * 1)}, at most {@code maxBackoff}, less a random part of up to half of it.
   */
  long backoffNanos(int retry) {
    long max = maxBackoff.toNanos();
    long pause = Math.min(firstBackoff.toNanos(), max);
    for (int i = 1; i < retry && pause < max; i++) {
      pause = pause > max / 2 ? max : pause * 2;
    }
    return pause - ThreadLocalRandom.current().nextLong(pause / 2 + 1);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
  }
}
