package io.agentainer.flow.console.ui.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.console.ui.Formats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run drawn on the server as SVG: the DAG of its steps in columns by depth, coloured by status,
 * and a timeline of its jobs in parallel lanes.
 */
public final class RunGraphics {

  static final int NODE_W = 150;
  static final int NODE_H = 40;
  static final int COL_GAP = 60;
  static final int ROW_GAP = 16;

  /** A step of the DAG: its name, status, and the steps it depends on. */
  public record Node(String name, String status, List<String> dependsOn) {}

  /** A job on the timeline: its step, task, status and times (finished null: still running). */
  public record Bar(
      String step, Integer taskId, String status, Instant started, Instant finished) {}

  private RunGraphics() {}

  /** The nodes of a definition's spec ({@code steps[].name, dependsOn}) with the run's statuses. */
  public static List<Node> nodes(JsonNode spec, Map<String, String> statuses) {
    List<Node> nodes = new ArrayList<>();
    for (JsonNode step : spec.path("steps")) {
      String name = step.path("name").asText();
      List<String> deps = new ArrayList<>();
      step.path("dependsOn").forEach(d -> deps.add(d.asText()));
      nodes.add(new Node(name, statuses.getOrDefault(name, "PENDING"), deps));
    }
    return nodes;
  }

  /** The DAG: columns by depth (a step sits right of everything it depends on), edges as lines. */
  public static String dag(List<Node> nodes) {
    Map<String, Node> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    Map<String, Integer> depth = new HashMap<>();
    for (Node n : nodes) {
      depth(n.name(), byName, depth, 0);
    }
    Map<Integer, Integer> rows = new HashMap<>();
    Map<String, int[]> at = new HashMap<>();
    for (Node n : nodes) {
      int col = depth.get(n.name());
      int row = rows.merge(col, 1, Integer::sum) - 1;
      at.put(n.name(), new int[] {col * (NODE_W + COL_GAP), row * (NODE_H + ROW_GAP)});
    }
    int width = 0;
    int height = NODE_H;
    for (int[] p : at.values()) {
      width = Math.max(width, p[0] + NODE_W);
      height = Math.max(height, p[1] + NODE_H);
    }
    StringBuilder svg = open("Steps of the run", width + 2, height + 2);
    for (Node n : nodes) {
      int[] to = at.get(n.name());
      for (String dep : n.dependsOn()) {
        int[] from = at.get(dep);
        if (from != null) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<line class=\"flow-dag-edge\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                  from[0] + NODE_W,
                  from[1] + NODE_H / 2,
                  to[0],
                  to[1] + NODE_H / 2));
        }
      }
    }
    for (Node n : nodes) {
      int[] p = at.get(n.name());
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"flow-dag-node %s\" data-step=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\""
                  + " height=\"%d\" rx=\"6\"/><text x=\"%d\" y=\"%d\">%s</text>"
                  + "<text class=\"flow-dag-status\" x=\"%d\" y=\"%d\">%s</text></g>",
              tone(n.status()),
              escape(n.name()),
              p[0] + 1,
              p[1] + 1,
              NODE_W,
              NODE_H,
              p[0] + 10,
              p[1] + 17,
              escape(n.name()),
              p[0] + 10,
              p[1] + 33,
              escape(n.status().toLowerCase(Locale.ROOT))));
    }
    return svg.append("</svg>").toString();
  }

  private static int depth(
      String name, Map<String, Node> byName, Map<String, Integer> depth, int guard) {
    Integer known = depth.get(name);
    if (known != null) {
      return known;
    }
    Node node = byName.get(name);
    int d = 0;
    if (node != null && guard < byName.size()) {
      for (String dep : node.dependsOn()) {
        if (byName.containsKey(dep)) {
          d = Math.max(d, depth(dep, byName, depth, guard + 1) + 1);
        }
      }
    }
    depth.put(name, d);
    return d;
  }

  /**
   * The jobs as bars on a time axis, one lane per job that overlaps no other in its lane (the lanes
   * show how many ran at once).
   */
  /** About how wide one character of a bar's label is, in pixels (10 px text). */
  private static final double LABEL_CHAR_WIDTH = 6.2;

  /**
   * The text inside a bar of {@code width} pixels: the job and how long it took, or only how long,
   * or nothing when even that does not fit.
   */
  public static String label(Bar b, Duration took, double width) {
    String duration = Formats.duration(took);
    String full = b.step() + (b.taskId() == null ? "" : " #" + b.taskId()) + " · " + duration;
    for (String text : new String[] {full, duration}) {
      if (text.length() * LABEL_CHAR_WIDTH + 8 <= width) {
        return text;
      }
    }
    return null;
  }

  public static String timeline(List<Bar> bars, Instant now) {
    List<Bar> started = new ArrayList<>();
    for (Bar b : bars) {
      if (b.started() != null) {
        started.add(b);
      }
    }
    started.sort((a, b) -> a.started().compareTo(b.started()));
    int width = 720;
    int lane = 18;
    if (started.isEmpty()) {
      return open("Jobs over time", width, lane).append("</svg>").toString();
    }
    Instant first = started.get(0).started();
    Instant last = first.plusMillis(1);
    for (Bar b : started) {
      Instant end = b.finished() == null ? now : b.finished();
      if (end.isAfter(last)) {
        last = end;
      }
    }
    double span = Duration.between(first, last).toMillis();
    List<Instant> laneEnds = new ArrayList<>();
    StringBuilder rects = new StringBuilder();
    for (Bar b : started) {
      Instant end = b.finished() == null ? now : b.finished();
      int l = 0;
      while (l < laneEnds.size() && laneEnds.get(l).isAfter(b.started())) {
        l++;
      }
      if (l == laneEnds.size()) {
        laneEnds.add(end);
      } else {
        laneEnds.set(l, end);
      }
      double x = width * Duration.between(first, b.started()).toMillis() / span;
      double w = Math.max(2, width * Duration.between(b.started(), end).toMillis() / span);
      rects.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"flow-timeline-job %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                  + " rx=\"2\"><title>%s %s: %s, %d ms</title></rect>",
              tone(b.status()),
              x,
              l * lane + 2,
              w,
              lane - 4,
              escape(b.step()),
              b.taskId() == null ? "" : "#" + b.taskId(),
              escape(b.status()),
              Duration.between(b.started(), end).toMillis()));
      String label = label(b, Duration.between(b.started(), end), w);
      if (label != null) {
        rects.append(
            String.format(
                Locale.ROOT,
                "<text class=\"flow-timeline-label\" x=\"%.1f\" y=\"%d\">%s</text>",
                x + 4,
                l * lane + 13,
                escape(label)));
      }
    }
    int height = laneEnds.size() * lane + 16;
    StringBuilder svg = open("Jobs over time, one lane per job running at once", width, height);
    svg.append(rects);
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"flow-timeline-axis\" x=\"0\" y=\"%d\">0</text>"
                + "<text class=\"flow-timeline-axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
            height - 2,
            width,
            height - 2,
            span >= 1000
                ? String.format(Locale.ROOT, "%.1f s", span / 1000)
                : (long) span + " ms"));
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int width, int height) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-chart\" role=\"img\" viewBox=\"0 0 %d"
                + " %d\" width=\"%d\" height=\"%d\"><title>%s</title>",
            width,
            height,
            width,
            height,
            escape(title)));
  }

  static String tone(String status) {
    return switch (status == null ? "" : status) {
      case "SUCCEEDED" -> "flow-tone-ok";
      case "FAILED", "TIMED_OUT" -> "flow-tone-bad";
      case "RUNNING", "QUEUED" -> "flow-tone-warn";
      default -> "flow-tone-neutral";
    };
  }

  static String escape(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }
}
