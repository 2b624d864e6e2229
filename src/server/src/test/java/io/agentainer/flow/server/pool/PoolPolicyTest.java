package io.agentainer.flow.server.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.server.definition.PoolSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pool's settings resolved against the server's defaults, and its warm-up target. */
class PoolPolicyTest {

  private static final PoolPolicy.Defaults DEFAULTS =
      new PoolPolicy.Defaults(10, Duration.ofMinutes(5), Duration.ofMinutes(2));

  private static PoolSpec spec(Integer min, Integer max, Integer warmSize) {
    return new PoolSpec(min, max, null, null, null, null, null, null, warmSize);
  }

  private static PoolPolicy policy(int min, int max, Integer warmSize) {
    return new PoolPolicy(
        min, max, Duration.ofMinutes(5), null, true, Duration.ofMinutes(2), null, warmSize);
  }

  @Test
  void noSettingsTakeEveryDefault() {
    assertThat(PoolPolicy.of(PoolSpec.DEFAULTS, DEFAULTS))
        .isEqualTo(
            new PoolPolicy(
                0, 10, Duration.ofMinutes(5), null, true, Duration.ofMinutes(2), null, null));
  }

  @Test
  void writtenSettingsWin() {
    PoolSpec spec =
        new PoolSpec(
            1, 4, Duration.ofSeconds(30), 7, false, true, Duration.ofSeconds(10), "0 8 * * 1-5", 3);
    assertThat(PoolPolicy.of(spec, DEFAULTS))
        .isEqualTo(
            new PoolPolicy(
                1, 4, Duration.ofSeconds(30), 7, false, Duration.ofSeconds(10), "0 8 * * 1-5", 3));
  }

  @Test
  void eachMissingSettingFallsBackOnItsOwn() {
    PoolPolicy p =
        PoolPolicy.of(
            new PoolSpec(null, 3, null, null, null, null, Duration.ofSeconds(9), null, null),
            DEFAULTS);
    assertThat(p.minSize()).isZero();
    assertThat(p.maxSize()).isEqualTo(3);
    assertThat(p.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.leaseTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(p.maxUses()).isNull();
    assertThat(p.warmUp()).isTrue();
    assertThat(p.warmSchedule()).isNull();
    assertThat(p.warmSize()).isNull();
  }

  @Test
  void aMinSizeBelowTheDefaultMaxSizeKeepsTheDefault() {
    PoolPolicy p = PoolPolicy.of(spec(4, null, null), DEFAULTS);
    assertThat(p.minSize()).isEqualTo(4);
    assertThat(p.maxSize()).isEqualTo(10);
  }

  @Test
  void aMinSizeAboveTheDefaultMaxSizeIsKept() {
    PoolPolicy p = PoolPolicy.of(spec(12, null, null), DEFAULTS);
    assertThat(p.minSize()).isEqualTo(12);
    assertThat(p.maxSize()).isEqualTo(12);
  }

  @Test
  void withoutAWarmSizeAWarmUpAimsAtMaxSize() {
    assertThat(policy(0, 5, null).warmTarget()).isEqualTo(5);
    assertThat(PoolPolicy.of(spec(null, 7, null), DEFAULTS).warmTarget()).isEqualTo(7);
    assertThat(PoolPolicy.of(PoolSpec.DEFAULTS, DEFAULTS).warmTarget()).isEqualTo(10);
  }

  @Test
  void theWarmSizeIsTheTargetWithinMinAndMaxSize() {
    assertThat(policy(0, 5, 3).warmTarget()).isEqualTo(3);
    assertThat(policy(0, 5, 0).warmTarget()).isZero();
    assertThat(policy(0, 5, 9).warmTarget()).as("bounded by maxSize").isEqualTo(5);
    assertThat(policy(2, 5, 1).warmTarget()).as("at least minSize").isEqualTo(2);
    assertThat(policy(2, 5, 0).warmTarget()).as("at least minSize").isEqualTo(2);
    assertThat(policy(5, 5, 1).warmTarget()).isEqualTo(5);
  }
}
