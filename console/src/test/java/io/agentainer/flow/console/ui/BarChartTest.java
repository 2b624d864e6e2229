package io.agentainer.flow.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.console.ui.dashboard.BarChart;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {

  @Test
  void barsAreScaledToTheLargestAndLabelled() {
    String svg =
        BarChart.svg(
            "Runs <by> status",
            List.of(
                new BarChart.Bar("succeeded", 10, "flow-chart-ok"),
                new BarChart.Bar("failed", 5, "flow-chart-bad"),
                new BarChart.Bar("cancelled", 0, "flow-chart-neutral")),
            "%.0f");
    assertThat(svg)
        .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .endsWith("</svg>")
        .contains("<title>Runs &lt;by&gt; status</title>")
        // the largest bar takes the whole room (360 - 110 - 56), the half one half of it
        .contains("class=\"flow-chart-bar flow-chart-ok\" x=\"110\" y=\"5\" width=\"194.0\"")
        .contains("class=\"flow-chart-bar flow-chart-bad\" x=\"110\" y=\"31\" width=\"97.0\"")
        .contains("class=\"flow-chart-bar flow-chart-neutral\" x=\"110\" y=\"57\" width=\"0.0\"")
        .contains(">succeeded<title>succeeded</title></text>")
        .contains(">10</text>");
  }

  @Test
  void aLongLabelIsCutBeforeItsBarAndShownWholeOnHover() {
    String svg =
        BarChart.svg(
            "Pool utilization",
            List.of(new BarChart.Bar("pooled-squares-example-agent-48c7a4f0", 0.5, "ok")),
            "%.0f");
    assertThat(svg)
        .contains(">pooled-squares-…<title>pooled-squares-example-agent-48c7a4f0</title></text>");
  }

  @Test
  void anEmptyChartIsStillAValidSvg() {
    assertThat(BarChart.svg("nothing", List.of(), "%.0f"))
        .contains("viewBox=\"0 0 360 26\"")
        .endsWith("</svg>");
  }
}
