package io.agentainer.flow.console.ui.dashboard;

import java.util.List;
import java.util.Locale;

/**
 * Columns over time drawn on the server as SVG: for each time bucket one column per series side by
 * side, scaled to the largest value, with the first, middle and last bucket labelled and the
 * largest value written on the axis.
 */
public final class ColumnChart {

  /** One series: its name (in the legend), its CSS class, and a value per bucket. */
  public record Series(String name, String tone, List<Long> values) {}

  static final int WIDTH = 560;
  static final int HEIGHT = 180;
  static final int TOP = 24;
  static final int BOTTOM = 22;
  static final int LEFT = 34;

  private ColumnChart() {}

  /**
   * The SVG of {@code series} over buckets labelled {@code labels} (every series has a value for
   * every label).
   *
   * @param title what the chart shows, for screen readers
   */
  public static String svg(String title, List<String> labels, List<Series> series) {
    long max = 0;
    for (Series s : series) {
      if (s.values().size() != labels.size()) {
        throw new IllegalArgumentException(
            s.name() + ": " + s.values().size() + " values for " + labels.size() + " buckets");
      }
      for (long v : s.values()) {
        max = Math.max(max, v);
      }
    }
    StringBuilder svg = BarChart.open(title, WIDTH, HEIGHT);
    int legendX = LEFT;
    for (Series s : series) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"flow-chart-bar %s\" x=\"%d\" y=\"4\" width=\"10\" height=\"10\""
                  + " rx=\"2\"/><text class=\"flow-chart-label\" x=\"%d\" y=\"13\">%s</text>",
              BarChart.escape(s.tone()),
              legendX,
              legendX + 14,
              BarChart.escape(s.name())));
      legendX += 24 + 8 * s.name().length();
    }
    int plot = HEIGHT - TOP - BOTTOM;
    int baseline = TOP + plot;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line class=\"flow-chart-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<text class=\"flow-chart-value\" x=\"0\" y=\"%d\">%d</text>"
                + "<text class=\"flow-chart-value\" x=\"0\" y=\"%d\">0</text>",
            LEFT,
            baseline,
            WIDTH,
            baseline,
            TOP + 10,
            max,
            baseline));
    int buckets = labels.size();
    double slot = buckets == 0 ? 0 : (double) (WIDTH - LEFT) / buckets;
    double column = series.isEmpty() ? 0 : Math.max(1, (slot - 4) / series.size());
    for (int b = 0; b < buckets; b++) {
      double x = LEFT + b * slot + 2;
      for (int i = 0; i < series.size(); i++) {
        long value = series.get(i).values().get(b);
        double height = max == 0 ? 0 : Math.max(value > 0 ? 2 : 0, plot * (double) value / max);
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"flow-chart-bar %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                    + " height=\"%.1f\"><title>%s %s: %d</title></rect>",
                BarChart.escape(series.get(i).tone()),
                x + i * column,
                baseline - height,
                column,
                height,
                BarChart.escape(labels.get(b)),
                BarChart.escape(series.get(i).name()),
                value));
      }
      if (b == 0 || b == buckets - 1 || b == buckets / 2) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text class=\"flow-chart-label\" x=\"%.1f\" y=\"%d\">%s</text>",
                Math.min(x, WIDTH - 40.0),
                HEIGHT - 6,
                BarChart.escape(labels.get(b))));
      }
    }
    return svg.append("</svg>").toString();
  }
}
