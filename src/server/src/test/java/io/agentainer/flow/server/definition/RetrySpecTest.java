package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetrySpecTest {

  /** A "random" source that always answers {@code value}. */
  private static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private static final RandomGenerator MIDDLE = fixed(0.5); // a jitter factor of exactly 1

  @Test
  void noneIsOneAttemptWithTheDefaults() {
    assertThat(RetrySpec.NONE.maxAttempts()).isEqualTo(1);
    assertThat(RetrySpec.NONE.backoff()).isEqualTo("exponential");
    assertThat(RetrySpec.NONE.initialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(RetrySpec.NONE.maxDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(RetrySpec.NONE.jitter()).isEqualTo(0.2);
    assertThat(RetrySpec.attempts(1)).isEqualTo(RetrySpec.NONE);
  }

  @Test
  void exponentialDoublesFromTheInitialDelayUpToTheMaximum() {
    RetrySpec retry =
        new RetrySpec(10, "exponential", Duration.ofSeconds(1), Duration.ofSeconds(10), 0);

    assertThat(retry.delayBefore(2, MIDDLE)).isEqualTo(Duration.ofSeconds(1));
    assertThat(retry.delayBefore(3, MIDDLE)).isEqualTo(Duration.ofSeconds(2));
    assertThat(retry.delayBefore(4, MIDDLE)).isEqualTo(Duration.ofSeconds(4));
    assertThat(retry.delayBefore(5, MIDDLE)).isEqualTo(Duration.ofSeconds(8));
    assertThat(retry.delayBefore(6, MIDDLE)).isEqualTo(Duration.ofSeconds(10));
    assertThat(retry.delayBefore(1_000, MIDDLE)).isEqualTo(Duration.ofSeconds(10));
    assertThat(retry.delayBefore(Integer.MAX_VALUE, MIDDLE)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void fixedWaitsTheInitialDelayEveryTime() {
    RetrySpec retry = new RetrySpec(5, "fixed", Duration.ofMillis(250), Duration.ofMinutes(1), 0);

    assertThat(retry.delayBefore(2, MIDDLE)).isEqualTo(Duration.ofMillis(250));
    assertThat(retry.delayBefore(5, MIDDLE)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void jitterVariesTheDelayByUpToItsFractionEitherWay() {
    RetrySpec retry =
        new RetrySpec(5, "exponential", Duration.ofSeconds(4), Duration.ofMinutes(1), 0.25);

    assertThat(retry.delayBefore(2, fixed(0.0))).isEqualTo(Duration.ofSeconds(3));
    assertThat(retry.delayBefore(2, fixed(0.5))).isEqualTo(Duration.ofSeconds(4));
    assertThat(retry.delayBefore(2, fixed(0.999_999_999)))
        .isBetween(Duration.ofMillis(4_999), Duration.ofSeconds(5));

    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 1_000; i++) {
      assertThat(retry.delayBefore(3, random))
          .isBetween(Duration.ofSeconds(6), Duration.ofSeconds(10));
    }
  }

  @Test
  void jitterNeverGoesBeyondTheMaximum() {
    RetrySpec retry =
        new RetrySpec(5, "exponential", Duration.ofSeconds(8), Duration.ofSeconds(10), 0.5);

    assertThat(retry.delayBefore(3, fixed(0.999))).isEqualTo(Duration.ofSeconds(10));
    assertThat(retry.delayBefore(3, fixed(0.0))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theFirstAttemptHasNoDelayToAskFor() {
    assertThatThrownBy(() -> RetrySpec.NONE.delayBefore(1, MIDDLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempt");
  }
}
