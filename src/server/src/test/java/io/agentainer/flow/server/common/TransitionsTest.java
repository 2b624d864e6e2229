package io.agentainer.flow.server.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransitionsTest {

  enum Light {
    RED,
    GREEN,
    YELLOW,
    OFF
  }

  private final Transitions<Light> table =
      Transitions.of(Light.class)
          .allow(Light.RED, Light.GREEN, Light.OFF)
          .allow(Light.GREEN, Light.YELLOW)
          .allow(Light.YELLOW, Light.RED)
          .build();

  @Test
  void allowsWhatTheTableSaysAndNothingElse() {
    assertThat(table.allows(Light.RED, Light.GREEN)).isTrue();
    assertThat(table.allows(Light.GREEN, Light.RED)).isFalse();
    assertThat(table.check(Light.YELLOW, Light.RED)).isEqualTo(Light.RED);
    assertThat(table.from(Light.RED)).containsExactlyInAnyOrder(Light.GREEN, Light.OFF);
  }

  @Test
  void anIllegalMoveThrowsNamingBothEnds() {
    assertThatThrownBy(() -> table.check(Light.GREEN, Light.OFF))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage("Light cannot move from GREEN to OFF");
  }

  @Test
  void statusesWithoutExitsAreFinal() {
    assertThat(table.isFinal(Light.OFF)).isTrue();
    assertThat(table.isFinal(Light.RED)).isFalse();
  }
}
