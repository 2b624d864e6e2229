package io.agentainer.flow.server.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EventHorizonTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final Duration HOLD = Duration.ofSeconds(30);

  private final EventHorizon horizon = new EventHorizon(10, HOLD);

  /** A look at {@code at} seconds: these ids committed, transactions [oldest, next) may run. */
  private static EventHorizon.Look look(long at, long oldest, long next, Long... committed) {
    return new EventHorizon.Look(List.of(committed), oldest, next, T0.plusSeconds(at));
  }

  @Test
  void itMovesOverCommittedIdsInOrder() {
    assertThat(horizon.advance(look(0, 500, 502, 11L, 12L, 13L))).isEqualTo(13);
    assertThat(horizon.holding()).isFalse();
    assertThat(horizon.advance(look(0, 500, 502))).isEqualTo(13);
    assertThat(horizon.advance(look(0, 500, 502, 9L, 13L, 14L))).isEqualTo(14);
  }

  @Test
  void anIdThatCommitsAfterABiggerOneHoldsTheHorizonUntilItCommits() {
    // 12's transaction (500) is still running when 13 has committed
    assertThat(horizon.advance(look(0, 500, 502, 11L, 13L))).isEqualTo(11);
    assertThat(horizon.holding()).isTrue();
    assertThat(horizon.advance(look(1, 500, 503, 13L))).isEqualTo(11);

    assertThat(horizon.advance(look(1, 503, 503, 12L, 13L))).isEqualTo(13);
    assertThat(horizon.holding()).isFalse();
  }

  @Test
  void aGapIsForGoodOnceTheTransactionsRunningWhenItWasSeenHaveEnded() {
    assertThat(horizon.advance(look(0, 500, 502, 11L, 13L))).isEqualTo(11);
    // 500 ended; 501 was running when 12 was seen missing, and may hold it
    assertThat(horizon.advance(look(0, 501, 505, 13L))).isEqualTo(11);
    // all that ran then have ended, and 12 did not commit: it rolled back
    assertThat(horizon.advance(look(0, 502, 505, 13L))).isEqualTo(13);
    assertThat(horizon.holding()).isFalse();
  }

  @Test
  void aGapSeenWhileNoTransactionRunsIsForGoodAtOnce() {
    assertThat(horizon.advance(look(0, 600, 600, 11L, 15L, 16L))).isEqualTo(16);
  }

  @Test
  void aLaterGapWaitsForTheTransactionsOfItsOwnSighting() {
    assertThat(horizon.advance(look(0, 500, 502, 11L, 13L))).isEqualTo(11);
    // 12 is for good now (all below 502 ended); 14 was first seen missing while 505..509 ran
    assertThat(horizon.advance(look(1, 505, 510, 13L, 15L))).isEqualTo(13);
    assertThat(horizon.holding()).isTrue();
    assertThat(horizon.advance(look(2, 509, 512, 15L))).isEqualTo(13);
    assertThat(horizon.advance(look(3, 510, 512, 15L))).isEqualTo(15);
  }

  @Test
  void aLongTransactionHoldsTheHorizonForTheLongestHoldAtMost() {
    assertThat(horizon.advance(look(0, 400, 502, 11L, 13L))).isEqualTo(11);
    assertThat(horizon.advance(look(29, 400, 520, 13L, 14L))).isEqualTo(11);
    assertThat(horizon.advance(look(30, 400, 530, 13L, 14L))).isEqualTo(14);
  }

  @Test
  void aWideGapOfOneRolledBackTransactionIsPassedAtOnce() {
    Long[] ids = {11L, 5000L};
    assertThat(horizon.advance(look(0, 500, 502, ids))).isEqualTo(11);
    Long[] after = LongStream.rangeClosed(5000, 5003).boxed().toArray(Long[]::new);
    assertThat(horizon.advance(look(0, 502, 502, after))).isEqualTo(5003);
  }
}
