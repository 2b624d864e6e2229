package io.agentainer.flow.console.ui.dashboard;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart drawn on the server as SVG: one labelled bar per value, scaled to the
 * largest. No front-end library, so the console keeps Vaadin's prebuilt bundle.
 */
public final class BarChart {

  /** One bar: its label, its value, and the CSS class that colours it. */
  public record Bar(String label, double value, String tone) {}

  static final int WIDTH = 360;
  static final int ROW = 26;
  static final int LABEL = 110;
  static final int NUMBER = 56;

  private BarChart() {}

  /**
   * The SVG of {@code bars}, {@code format} writing each value (e.g. {@code "%.0f"}).
   *
   * @param title what the chart shows, for screen readers
   */
  public static String svg(String title, List<Bar> bars, String format) {
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    int height = Math.max(ROW, bars.size() * ROW);
    StringBuilder svg = open(title, WIDTH, height);
    int room = WIDTH - LABEL - NUMBER;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = i * ROW;
      double length = max <= 0 ? 0 : Math.max(bar.value() > 0 ? 2 : 0, room * bar.value() / max);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"flow-chart-label\" x=\"0\" y=\"%d\">%s<title>%s</title></text>"
                  + "<rect class=\"flow-chart-bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\""
                  + " height=\"%d\" rx=\"3\"/>"
                  + "<text class=\"flow-chart-value\" x=\"%.1f\" y=\"%d\">%s</text>",
              y + 17,
              escape(fit(bar.label())),
              escape(bar.label()),
              escape(bar.tone()),
              LABEL,
              y + 5,
              length,
              ROW - 10,
              LABEL + length + 6,
              y + 17,
              escape(String.format(Locale.ROOT, format, bar.value()))));
    }
    return svg.append("</svg>").toString();
  }

  /** The opening of a chart's SVG: its size and its title for screen readers. */
  /** The most characters of a label that fit before its bar. */
  static final int LABEL_CHARS = 16;

  /**
   * A label that fits before its bar: a longer one is cut, with an ellipsis (the full one shows on
   * hover).
   */
  static String fit(String label) {
    return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "…";
  }

  static StringBuilder open(String title, int width, int height) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-chart\" role=\"img\""
                + " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"><title>%s</title>",
            width,
            height,
            width,
            height,
            escape(title)));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
