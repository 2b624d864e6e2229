package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "5, 5s",
    "59, 59s",
    "60, 1m",
    "3599, 59m",
    "3600, 1h",
    "86399, 23h",
    "86400, 1d",
    "345600, 4d",
    "-30, 0s"
  })
  void ageIsTheLargestWholeUnit(long secondsAgo, String age) {
    assertThat(Times.age(NOW.minusSeconds(secondsAgo), NOW)).isEqualTo(age);
  }

  @Test
  void noTimeHasNoAge() {
    assertThat(Times.age(null, NOW)).isEqualTo("-");
  }

  @ParameterizedTest
  @CsvSource({
    "PT1M, 60000",
    "pt1m30s, 90000",
    "30s, 30000",
    "5m, 300000",
    "2h, 7200000",
    "1h30m, 5400000",
    "250ms, 250",
    "1d, 86400000",
    "0s, 0"
  })
  void parsesIsoAndShortDurations(String text, long millis) {
    assertThat(Times.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5", "5x", "m5", "5 m", "PT", "-PT1M", "1h 30m", "99999999999999999999s"})
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> Times.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration");
  }

  @ParameterizedTest
  @CsvSource({"750, 750ms", "1200, 1.2s", "59949, 59.9s", "192000, 3m12s", "7500000, 2h5m"})
  void formatsDurationsToRead(long millis, String text) {
    assertThat(Times.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "12, 12s",
    "59, 59s",
    "60, 1m0s",
    "192, 3m12s",
    "3600, 1h0m",
    "7500, 2h5m",
    "-5, 0s"
  })
  void timeLeftIsInWholeSeconds(long seconds, String text) {
    assertThat(Times.remaining(Duration.ofSeconds(seconds))).isEqualTo(text);
  }

  @Test
  void aMomentIsAlwaysToTheMillisecond() {
    assertThat(Times.instant(Instant.parse("2025-01-02T03:04:05Z")))
        .isEqualTo("2025-01-02T03:04:05.000Z");
    assertThat(Times.instant(Instant.parse("2025-01-02T03:04:05.123456Z")))
        .isEqualTo("2025-01-02T03:04:05.123Z");
    assertThat(Times.instant(null)).isEqualTo("-");
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-27T10:15:30Z, 2026-11-27T10:15:30Z",
    "' 2026-11-27T10:15:30.5Z ', 2026-11-27T10:15:30.500Z",
    "2026-11-27T05:15:30-05:00, 2026-11-27T10:15:30Z",
    "90s, 2025-06-01T11:58:30Z",
    "1d, 2025-05-31T12:00:00Z",
    "pt1h, 2025-06-01T11:00:00Z"
  })
  void aMomentIsAnInstantOrATimeAgo(String text, String instant) {
    assertThat(Times.moment(text, NOW)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "now", "2026-11-27", "10:15:30", "2026-11-27T10:15:30", "-1h"})
  void refusesWhatIsNotAMoment(String text) {
    assertThatThrownBy(() -> Times.moment(text, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'"
                + text
                + "' is not a time; use ISO-8601 (2026-11-27T10:15:30Z) or a time ago (30s, 5m,"
                + " 2h, 1h30m)");
  }

  @Test
  void aTimeAgoBeforeTheFirstInstantIsNotAMoment() {
    assertThatThrownBy(() -> Times.moment("999999999999d", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a time");
  }
}
