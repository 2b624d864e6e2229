package io.agentainer.flow.console.ui;

import com.vaadin.flow.component.html.Span;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages write times, durations, ratios and statuses. */
public final class Formats {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Formats() {}

  /** {@code 2026-11-27 21:03:04} (UTC), or a dash. */
  public static String time(Instant at) {
    return at == null ? "–" : TIME.format(at);
  }

  /** {@code 1.2 s}, {@code 350 ms}, {@code 3 min 5 s}, or a dash. */
  public static String duration(Instant from, Instant to) {
    if (from == null) {
      return "–";
    }
    return duration(Duration.between(from, to == null ? Instant.now() : to));
  }

  /** {@code 1.2 s}, {@code 350 ms}, {@code 3 min 5 s}. */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }

  /** {@code 56 %}. */
  public static String percent(double ratio) {
    return Math.round(ratio * 100) + " %";
  }

  /** {@code 0.12 ms}, or a dash. */
  public static String millis(Double ms) {
    return ms == null ? "–" : String.format(Locale.ROOT, "%.2f ms", ms);
  }

  /** How wide a grid's status column is: the widest badge (SUCCEEDED, CANCELLED) fits. */
  public static final String STATUS_COLUMN_WIDTH = "9.5em";

  /** A status as a coloured badge. */
  public static Span badge(String status) {
    Span badge = new Span(status);
    badge.setClassName(statusClass(status));
    return badge;
  }

  /** The CSS classes of a status badge: ok, bad, warn (in progress) or neutral. */
  public static String statusClass(String status) {
    if (status == null) {
      return "flow-status";
    }
    return "flow-status "
        + switch (status) {
          case "SUCCEEDED", "ACTIVE", "UP" -> "flow-status-ok";
          case "FAILED", "TIMED_OUT", "DOWN" -> "flow-status-bad";
          case "RUNNING", "QUEUED", "PENDING", "DRAINING" -> "flow-status-warn";
          default -> "flow-status-neutral";
        };
  }
}
