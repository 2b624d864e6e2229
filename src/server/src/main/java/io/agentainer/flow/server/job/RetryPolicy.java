package io.agentainer.flow.server.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed attempt waits before the next one: exponential ({@code initialDelay × 2^(n-1)})
 * or fixed, at most {@code maxDelay}, spread by {@code jitter} (0.2: ±20%). A job carries its
 * step's policy in its agent configuration ({@code retry}); without one: 1 s, exponential, 1 min at
 * most, 20% jitter.
 */
public record RetryPolicy(String backoff, long initialDelayMs, long maxDelayMs, double jitter) {

  public static final RetryPolicy DEFAULT = new RetryPolicy("exponential", 1000, 60_000, 0.2);

  private static final ObjectMapper JSON = new ObjectMapper();

  public static RetryPolicy of(String agentConfig) {
    if (agentConfig == null) {
      return DEFAULT;
    }
    try {
      JsonNode retry = JSON.readTree(agentConfig).get("retry");
      if (retry == null || !retry.isObject()) {
        return DEFAULT;
      }
      return new RetryPolicy(
          retry.path("backoff").asText("exponential"),
          retry.path("initialDelayMs").asLong(DEFAULT.initialDelayMs),
          retry.path("maxDelayMs").asLong(DEFAULT.maxDelayMs),
          retry.path("jitter").asDouble(DEFAULT.jitter));
    } catch (IOException e) {
      return DEFAULT;
    }
  }

  /** The wait before the attempt after {@code attempt}. */
  public Duration delayAfter(int attempt) {
    long base =
        "fixed".equals(backoff)
            ? initialDelayMs
            : initialDelayMs * (1L << Math.min(Math.max(attempt - 1, 0), 30));
    base = Math.min(base, maxDelayMs);
    double spread = jitter <= 0 ? 1 : 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
    return Duration.ofMillis(Math.max(0, Math.round(base * spread)));
  }
}
