package io.agentainer.flow.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "PT30M, 1800000",
    "pt1s, 1000",
    "P30D, 2592000000",
    "30m, 1800000",
    "500ms, 500",
    "2h, 7200000",
    "1d, 86400000",
    "45s, 45000"
  })
  void parsesIsoAndShortForms(String text, long millis) {
    assertThat(Durations.parse("timeout", text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void refusesGarbageNamingTheField() {
    assertThatThrownBy(() -> Durations.parse("retry.initialDelay", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry.initialDelay: not a duration");
    assertThatThrownBy(() -> Durations.parse("timeout", " "))
        .hasMessageStartingWith("timeout: a duration is required");
    assertThatThrownBy(() -> Durations.parse("timeout", "PT-5S"))
        .hasMessageStartingWith("timeout: must not be negative");
    assertThatThrownBy(() -> Durations.parse("retention", "P1M"))
        .hasMessageStartingWith("retention: use days");
  }
}
