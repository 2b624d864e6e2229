package io.agentainer.flow.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.console.ui.workflows.RunGraphics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunGraphicsTest {

  @Test
  void theDagPutsEachStepRightOfItsDependenciesAndColoursItsStatus() throws Exception {
    var spec =
        new ObjectMapper()
            .readTree(
                "{\"steps\":[{\"name\":\"list\"},{\"name\":\"count\",\"dependsOn\":[\"list\"]},"
                    + "{\"name\":\"audit\",\"dependsOn\":[\"list\"]},"
                    + "{\"name\":\"total\",\"dependsOn\":[\"count\",\"audit\"]}]}");
    String svg =
        RunGraphics.dag(
            RunGraphics.nodes(
                spec, Map.of("list", "SUCCEEDED", "count", "RUNNING", "audit", "FAILED")));
    // columns 0, 1, 1, 2; rows 0, 0, 1, 0
    assertThat(svg)
        .contains(
            "<g class=\"flow-dag-node flow-tone-ok\" data-step=\"list\"><rect x=\"1\" y=\"1\"")
        .contains("data-step=\"count\"><rect x=\"211\" y=\"1\"")
        .contains(
            "<g class=\"flow-dag-node flow-tone-bad\" data-step=\"audit\"><rect x=\"211\" y=\"57\"")
        .contains(
            "<g class=\"flow-dag-node flow-tone-neutral\" data-step=\"total\"><rect x=\"421\"")
        .contains(">pending</text>")
        // an edge from list's right side to count's left side
        .contains("<line class=\"flow-dag-edge\" x1=\"150\" y1=\"20\" x2=\"210\" y2=\"20\"/>");
  }

  @Test
  void overlappingJobsGetTheirOwnLanes() {
    Instant t = Instant.parse("2026-11-27T21:00:00Z");
    String svg =
        RunGraphics.timeline(
            List.of(
                new RunGraphics.Bar("a", 0, "SUCCEEDED", t, t.plusMillis(1000)),
                new RunGraphics.Bar("a", 1, "SUCCEEDED", t.plusMillis(100), t.plusMillis(600)),
                new RunGraphics.Bar("b", 0, "FAILED", t.plusMillis(1000), t.plusMillis(2000)),
                new RunGraphics.Bar("c", 0, "QUEUED", null, null)),
            t.plusMillis(5000));
    assertThat(svg)
        .contains("class=\"flow-timeline-job flow-tone-ok\" x=\"0.0\" y=\"2\" width=\"360.0\"")
        .contains("class=\"flow-timeline-job flow-tone-ok\" x=\"36.0\" y=\"20\" width=\"180.0\"")
        // b starts when a#0 ends: back in the first lane
        .contains("class=\"flow-timeline-job flow-tone-bad\" x=\"360.0\" y=\"2\"")
        .contains("<title>b #0: FAILED, 1000 ms</title>")
        .contains(">2.0 s</text>")
        .doesNotContain(">c ");
    // bars wide enough say which job and how long it took, narrower ones only how long
    assertThat(svg)
        .contains("<text class=\"flow-timeline-label\" x=\"4.0\" y=\"13\">a #0 · 1.0 s</text>")
        .contains("<text class=\"flow-timeline-label\" x=\"40.0\" y=\"31\">a #1 · 500 ms</text>");
  }

  @Test
  void aBarTooNarrowForItsLabelShowsItsDurationOrNothing() {
    RunGraphics.Bar bar = new RunGraphics.Bar("transform", 12, "SUCCEEDED", null, null);
    assertThat(RunGraphics.label(bar, Duration.ofMillis(1500), 200))
        .isEqualTo("transform #12 · 1.5 s");
    assertThat(RunGraphics.label(bar, Duration.ofMillis(1500), 40)).isEqualTo("1.5 s");
    assertThat(RunGraphics.label(bar, Duration.ofMillis(1500), 20)).isNull();
  }
}
