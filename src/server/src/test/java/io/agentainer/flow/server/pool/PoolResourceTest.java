package io.agentainer.flow.server.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code PUT /api/pools/{id}}: how a change applies to a pool's settings, and what it refuses. */
class PoolResourceTest {

  private static final PoolPolicy POLICY =
      new PoolPolicy(
          1, 5, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), "0 8 * * 1-5", 4);

  private static PoolChange change(
      Integer minSize,
      Integer maxSize,
      String idleTimeout,
      Integer maxUses,
      String leaseTimeout,
      String warmSchedule,
      Integer warmSize) {
    return new PoolChange(
        minSize, maxSize, idleTimeout, maxUses, leaseTimeout, warmSchedule, warmSize);
  }

  private static final PoolChange NOTHING = change(null, null, null, null, null, null, null);

  @Test
  void anEmptyChangeChangesNothing() {
    assertThat(PoolResource.changed(POLICY, NOTHING)).isEqualTo(POLICY);
  }

  @Test
  void minSizeChangesOnlyItself() {
    assertThat(PoolResource.changed(POLICY, change(3, null, null, null, null, null, null)))
        .isEqualTo(
            new PoolPolicy(
                3, 5, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), "0 8 * * 1-5", 4));
  }

  @Test
  void maxSizeChangesOnlyItself() {
    assertThat(PoolResource.changed(POLICY, change(null, 8, null, null, null, null, null)))
        .isEqualTo(
            new PoolPolicy(
                1, 8, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), "0 8 * * 1-5", 4));
  }

  @Test
  void idleTimeoutChangesOnlyItselfInEitherForm() {
    PoolPolicy expected =
        new PoolPolicy(
            1, 5, Duration.ofSeconds(30), 100, false, Duration.ofMinutes(2), "0 8 * * 1-5", 4);
    assertThat(PoolResource.changed(POLICY, change(null, null, "30s", null, null, null, null)))
        .isEqualTo(expected);
    assertThat(PoolResource.changed(POLICY, change(null, null, "PT30S", null, null, null, null)))
        .isEqualTo(expected);
  }

  @Test
  void maxUsesChangesOnlyItself() {
    assertThat(PoolResource.changed(POLICY, change(null, null, null, 7, null, null, null)))
        .isEqualTo(
            new PoolPolicy(
                1, 5, Duration.ofMinutes(5), 7, false, Duration.ofMinutes(2), "0 8 * * 1-5", 4));
  }

  @Test
  void leaseTimeoutChangesOnlyItself() {
    assertThat(PoolResource.changed(POLICY, change(null, null, null, null, "10s", null, null)))
        .isEqualTo(
            new PoolPolicy(
                1, 5, Duration.ofMinutes(5), 100, false, Duration.ofSeconds(10), "0 8 * * 1-5", 4));
  }

  @Test
  void warmScheduleChangesOnlyItselfAndABlankOneRemovesIt() {
    assertThat(
            PoolResource.changed(POLICY, change(null, null, null, null, null, "*/5 * * * *", null)))
        .isEqualTo(
            new PoolPolicy(
                1, 5, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), "*/5 * * * *", 4));
    assertThat(PoolResource.changed(POLICY, change(null, null, null, null, null, "", null)))
        .isEqualTo(
            new PoolPolicy(
                1, 5, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), null, 4));
  }

  @Test
  void warmSizeChangesOnlyItself() {
    assertThat(PoolResource.changed(POLICY, change(null, null, null, null, null, null, 2)))
        .isEqualTo(
            new PoolPolicy(
                1, 5, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), "0 8 * * 1-5", 2));
  }

  @Test
  void aPolicyWithoutOptionalSettingsKeepsThemUnset() {
    PoolPolicy bare =
        new PoolPolicy(0, 3, Duration.ofMinutes(1), null, true, Duration.ofSeconds(5), null, null);
    assertThat(PoolResource.changed(bare, NOTHING)).isEqualTo(bare);
    assertThat(PoolResource.changed(bare, change(null, 4, null, null, null, null, null)))
        .isEqualTo(
            new PoolPolicy(
                0, 4, Duration.ofMinutes(1), null, true, Duration.ofSeconds(5), null, null));
  }

  @Test
  void warmUpIsKept() {
    assertThat(PoolResource.changed(POLICY, change(2, 6, "1m", 3, "1m", null, 5)).warmUp())
        .isFalse();
    PoolPolicy warming =
        new PoolPolicy(0, 3, Duration.ofMinutes(1), null, true, Duration.ofSeconds(5), null, null);
    assertThat(
            PoolResource.changed(warming, change(1, null, null, null, null, null, null)).warmUp())
        .isTrue();
  }

  @Test
  void aSmallerMaxSizeLowersAWarmSizeAboveIt() {
    // the stored warm size may not exceed maxSize: it follows a shrink rather than refuse it
    assertThat(PoolResource.changed(POLICY, change(null, 2, null, null, null, null, null)))
        .isEqualTo(
            new PoolPolicy(
                1, 2, Duration.ofMinutes(5), 100, false, Duration.ofMinutes(2), "0 8 * * 1-5", 2));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "maxSize      | -  | 0  | -    | -  | -    | -",
        "minSize      | 9  | -  | -    | -  | -    | -",
        "minSize      | -1 | -  | -    | -  | -    | -",
        "idleTimeout  | -  | -  | soon | -  | -    | -",
        "idleTimeout  | -  | -  | 0s   | -  | -    | -",
        "maxUses      | -  | -  | -    | 0  | -    | -",
        "leaseTimeout | -  | -  | -    | -  | soon | -",
        "warmSize     | -  | -  | -    | -  | -    | 6"
      })
  void aBadFieldIsA400NamingIt(
      String field,
      Integer minSize,
      Integer maxSize,
      String idleTimeout,
      Integer maxUses,
      String leaseTimeout,
      Integer warmSize) {
    PoolChange bad = change(minSize, maxSize, idleTimeout, maxUses, leaseTimeout, null, warmSize);
    assertThatThrownBy(() -> PoolResource.changed(POLICY, bad))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith(field + ": ");
              assertThat(e.details()).containsEntry("field", field);
            });
  }

  @Test
  void theMessagesSayWhatIsWrong() {
    assertThatThrownBy(
            () -> PoolResource.changed(POLICY, change(null, 0, null, null, null, null, null)))
        .hasMessage("maxSize: must be at least 1, got 0");
    assertThatThrownBy(
            () -> PoolResource.changed(POLICY, change(6, null, null, null, null, null, null)))
        .hasMessage("minSize: must not exceed maxSize (5), got 6");
    assertThatThrownBy(
            () -> PoolResource.changed(POLICY, change(null, null, "soon", null, null, null, null)))
        .hasMessageStartingWith("idleTimeout: not a duration");
    assertThatThrownBy(
            () -> PoolResource.changed(POLICY, change(null, null, null, null, null, "x", null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("warmSchedule: not a five-field cron expression");
  }
}
