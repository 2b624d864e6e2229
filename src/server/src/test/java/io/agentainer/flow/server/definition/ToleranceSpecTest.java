package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToleranceSpecTest {

  @Test
  void allNeedsEveryTaskToSucceed() {
    assertThat(ToleranceSpec.ALL.accepts(20, 0, 20)).isTrue();
    assertThat(ToleranceSpec.ALL.accepts(19, 1, 20)).isFalse();
    assertThat(ToleranceSpec.ALL.accepts(19, 0, 20)).isFalse(); // one cancelled
    assertThat(ToleranceSpec.ALL.alreadyLost(0, 20)).isFalse();
    assertThat(ToleranceSpec.ALL.alreadyLost(1, 20)).isTrue();
  }

  @Test
  void aRatioOfTwentyTasks() {
    ToleranceSpec tolerance = ToleranceSpec.ratio(0.8);

    assertThat(tolerance.accepts(17, 3, 20)).isTrue();
    assertThat(tolerance.accepts(16, 4, 20)).isTrue();
    assertThat(tolerance.accepts(15, 5, 20)).isFalse();
    assertThat(tolerance.alreadyLost(4, 20)).isFalse();
    assertThat(tolerance.alreadyLost(5, 20)).isTrue();
  }

  @Test
  void ratiosAreDecimalNotBinary() {
    // 0.7 * 10 is 7.000000000000001 in binary floating point: 7 of 10 must still do
    assertThat(ToleranceSpec.ratio(0.7).accepts(7, 3, 10)).isTrue();
    assertThat(ToleranceSpec.ratio(0.7).alreadyLost(3, 10)).isFalse();
    assertThat(ToleranceSpec.ratio(0.7).alreadyLost(4, 10)).isTrue();
    assertThat(ToleranceSpec.ratio(1.0).accepts(10, 0, 10)).isTrue();
    assertThat(ToleranceSpec.ratio(1.0).alreadyLost(1, 10)).isTrue();
  }

  @Test
  void maxFailures() {
    ToleranceSpec tolerance = ToleranceSpec.failures(2);

    assertThat(tolerance.accepts(18, 2, 20)).isTrue();
    assertThat(tolerance.accepts(17, 3, 20)).isFalse();
    assertThat(tolerance.alreadyLost(2, 20)).isFalse();
    assertThat(tolerance.alreadyLost(3, 20)).isTrue();
    assertThat(ToleranceSpec.failures(0).accepts(5, 0, 5)).isTrue();
    assertThat(ToleranceSpec.failures(0).alreadyLost(1, 5)).isTrue();
  }

  @Test
  void aStepOfNoTasksSucceeds() {
    assertThat(ToleranceSpec.ALL.accepts(0, 0, 0)).isTrue();
    assertThat(ToleranceSpec.ratio(0.5).accepts(0, 0, 0)).isTrue();
    assertThat(ToleranceSpec.ratio(0.5).alreadyLost(0, 0)).isFalse();
  }

  @Test
  void bothSetMeansBothMustHold() {
    ToleranceSpec tolerance = new ToleranceSpec(0.5, 1);

    assertThat(tolerance.accepts(9, 1, 10)).isTrue();
    assertThat(tolerance.accepts(8, 2, 10)).isFalse();
    assertThat(tolerance.alreadyLost(2, 10)).isTrue();
  }
}
