package io.agentainer.flow.console.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.console.ui.dashboard.ColumnChart;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnChartTest {

  @Test
  void columnsAreScaledToTheLargestValueSideBySidePerBucket() {
    String svg =
        ColumnChart.svg(
            "Runs <per> hour",
            List.of("10:00", "11:00"),
            List.of(
                new ColumnChart.Series("started", "flow-chart-neutral", List.of(4L, 2L)),
                new ColumnChart.Series("failed", "flow-chart-bad", List.of(0L, 1L))));
    assertThat(svg)
        .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .endsWith("</svg>")
        .contains("<title>Runs &lt;per&gt; hour</title>")
        // the plot is 180 - 24 - 22 = 134 high: 4 (the largest) fills it, 2 half, 1 a quarter
        .contains("height=\"134.0\"><title>10:00 started: 4</title>")
        .contains("height=\"67.0\"><title>11:00 started: 2</title>")
        .contains("height=\"33.5\"><title>11:00 failed: 1</title>")
        .contains("height=\"0.0\"><title>10:00 failed: 0</title>")
        .contains(">started</text>")
        .contains(">10:00</text>")
        .contains(">11:00</text>");
  }

  @Test
  void nothingToShowIsStillAValidChart() {
    assertThat(ColumnChart.svg("empty", List.of(), List.of())).endsWith("</svg>");
    assertThat(
            ColumnChart.svg(
                "zeros",
                List.of("a"),
                List.of(new ColumnChart.Series("s", "flow-chart-ok", List.of(0L)))))
        .contains("height=\"0.0\"");
  }

  @Test
  void aSeriesMustHaveAValuePerBucket() {
    assertThatThrownBy(
            () ->
                ColumnChart.svg(
                    "bad",
                    List.of("a", "b"),
                    List.of(new ColumnChart.Series("s", "flow-chart-ok", List.of(1L)))))
        .hasMessageContaining("s: 1 values for 2 buckets");
  }
}
