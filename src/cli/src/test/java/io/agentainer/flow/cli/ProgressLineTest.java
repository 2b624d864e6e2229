package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.sdk.client.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  static final Instant NOW = Instant.parse("2025-01-02T03:04:00Z");

  static Run run(String status, Double progress, Instant eta, Long queue, List<Run.Step> steps) {
    return new Run(
        "r",
        "wordcount",
        1,
        status,
        null,
        null,
        null,
        progress,
        eta,
        queue,
        null,
        null,
        "api",
        NOW,
        null,
        null,
        steps);
  }

  static Run.Step step(String name, String status, int total, int ok, int failed) {
    return new Run.Step(name, "map", status, total, ok, failed, 0, 1, null, null, null, null, null);
  }

  @Test
  void showsTheBarTheRunningStepAndTheTimeLeft() {
    Run run =
        run(
            "RUNNING",
            0.5,
            NOW.plusSeconds(12),
            0L,
            List.of(step("split", "SUCCEEDED", 1, 1, 0), step("count", "RUNNING", 20, 9, 1)));
    assertThat(ProgressLine.render(run, NOW)).isEqualTo("[#####-----] 50%  count 10/20  eta 12s");
  }

  @Test
  void roundsDownSoOnlyADoneRunIsFull() {
    assertThat(ProgressLine.render(run("RUNNING", 0.999, null, null, null), NOW))
        .isEqualTo("[#########-] 99%");
    assertThat(ProgressLine.render(run("SUCCEEDED", 1.0, null, null, null), NOW))
        .isEqualTo("[##########] 100%  SUCCEEDED");
  }

  @Test
  void aQueuedRunSaysHowManyJobsAreAhead() {
    assertThat(ProgressLine.render(run("PENDING", 0.0, null, 3L, List.of()), NOW))
        .isEqualTo("[----------] 0%  queued, 3 jobs ahead");
  }

  @Test
  void anEtaInThePastOrNoProgressIsLeftOut() {
    assertThat(ProgressLine.render(run("RUNNING", null, NOW.minusSeconds(1), null, null), NOW))
        .isEqualTo("[----------] 0%");
  }

  @Test
  void aShorterLineWipesTheLongerOneBefore() {
    StringWriter err = new StringWriter();
    ProgressLine line = new ProgressLine(new PrintWriter(err), Clock.fixed(NOW, ZoneOffset.UTC));
    line.show(run("RUNNING", 0.1, NOW.plusSeconds(75), null, null));
    line.show(run("RUNNING", 0.2, null, null, null));
    line.finish();
    assertThat(err.toString())
        .isEqualTo("\r[#---------] 10%  eta 1m15s\r[##--------] 20%           \n");
  }

  @Test
  void finishWithoutAnyLineWritesNothing() {
    StringWriter err = new StringWriter();
    new ProgressLine(new PrintWriter(err), Clock.systemUTC()).finish();
    assertThat(err.toString()).isEmpty();
  }
}
