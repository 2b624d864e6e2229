package io.agentainer.flow.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {

  @Test
  void timesDurationsRatiosAndMillis() {
    assertThat(Formats.time(Instant.parse("2026-11-27T21:03:04.5Z")))
        .isEqualTo("2026-11-27 21:03:04");
    assertThat(Formats.time(null)).isEqualTo("–");
    assertThat(Formats.duration(Duration.ofMillis(350))).isEqualTo("350 ms");
    assertThat(Formats.duration(Duration.ofMillis(1250))).isEqualTo("1.3 s");
    assertThat(Formats.duration(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
    Instant t = Instant.parse("2026-11-27T21:00:00Z");
    assertThat(Formats.duration(t, t.plusMillis(20))).isEqualTo("20 ms");
    assertThat(Formats.duration(null, t)).isEqualTo("–");
    assertThat(Formats.percent(0.564)).isEqualTo("56 %");
    assertThat(Formats.millis(0.1234)).isEqualTo("0.12 ms");
    assertThat(Formats.millis(null)).isEqualTo("–");
  }

  @Test
  void statusesGetTheBadgeOfTheirMeaning() {
    assertThat(Formats.statusClass("SUCCEEDED")).isEqualTo("flow-status flow-status-ok");
    assertThat(Formats.statusClass("TIMED_OUT")).isEqualTo("flow-status flow-status-bad");
    assertThat(Formats.statusClass("RUNNING")).isEqualTo("flow-status flow-status-warn");
    assertThat(Formats.statusClass("CANCELLED")).isEqualTo("flow-status flow-status-neutral");
    assertThat(Formats.statusClass(null)).isEqualTo("flow-status");
  }
}
