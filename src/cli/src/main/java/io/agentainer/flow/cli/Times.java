package io.agentainer.flow.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ages, durations and moments as people read and type them: {@code 5s}, {@code 3m}, {@code 1h30m},
 * {@code 2026-11-27T10:15:30Z}.
 */
final class Times {

  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  /**
   * Time left, in whole seconds: {@code 12s}, {@code 3m12s}, {@code 2h5m} (minutes from an hour
   * on); a negative duration is {@code 0s}.
   */
  static String remaining(Duration duration) {
    long seconds = Math.max(0, duration.getSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + seconds % 60 + "s";
    }
    return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
  }

  /** A moment in UTC to the millisecond, always 24 characters: {@code 2025-01-02T03:04:05.250Z}. */
  static String instant(Instant instant) {
    return instant == null ? "-" : MILLIS.format(instant);
  }

  /**
   * How long ago {@code then} was, in its largest whole unit: {@code 59s}, {@code 3m}, {@code 2h},
   * {@code 4d}. A time in the future (clock skew) is {@code 0s}; no time is {@code -}.
   */
  static String age(Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    long seconds = Math.max(0, Duration.between(then, now).getSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 86400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }

  /** A duration to read: {@code 850ms}, {@code 1.2s}, {@code 3m12s}, {@code 2h5m}. */
  static String format(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return seconds / 60 + "m" + seconds % 60 + "s";
    }
    return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
  }

  /**
   * Reads ISO-8601 ({@code PT1M30S}, {@code pt5m}) or the short form ({@code 30s}, {@code 5m},
   * {@code 1h30m}, {@code 250ms}, {@code 2d}).
   *
   * @throws IllegalArgumentException naming what is accepted
   */
  static Duration parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return nonNegative(Duration.parse(value.toUpperCase(Locale.ROOT)), text);
      } catch (DateTimeParseException e) {
        throw notADuration(text);
      }
    }
    Matcher part = SHORT.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    try {
      while (part.find() && part.start() == end) {
        long amount = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  default -> Duration.ofDays(amount);
                });
        end = part.end();
      }
    } catch (ArithmeticException | NumberFormatException tooLong) {
      throw notADuration(text);
    }
    if (end == 0 || end != value.length()) {
      throw notADuration(text);
    }
    return total;
  }

  /**
   * A moment as typed: an ISO-8601 instant ({@code 2026-11-27T10:15:30Z}), one with an offset
   * ({@code 2026-11-27T11:15:30+01:00}), or a time ago, as {@link #parse(String)} reads durations
   * ({@code 30s}, {@code 5m}, {@code 2h}, {@code 1h30m}, {@code PT90S}): that long before {@code
   * now}.
   *
   * @throws IllegalArgumentException naming what is accepted
   */
  static Instant moment(String text, Instant now) {
    String value = text == null ? "" : text.trim();
    if (!value.isEmpty() && Character.isDigit(value.charAt(0)) && value.contains("-")) {
      try {
        return parseInstant(value);
      } catch (DateTimeException e) {
        throw notAMoment(text);
      }
    }
    try {
      return now.minus(parse(value));
    } catch (IllegalArgumentException | DateTimeException e) {
      throw notAMoment(text);
    }
  }

  /**
   * An ISO-8601 instant as the API writes it ({@code 2025-01-02T03:04:05.250Z}), or with an offset
   * ({@code 2025-01-02T04:04:05+01:00}).
   *
   * @throws DateTimeException when it is neither
   */
  static Instant parseInstant(String text) {
    return Instant.parse(text); // ISO_INSTANT reads offsets too, since Java 12
  }

  private static IllegalArgumentException notAMoment(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a time; use ISO-8601 (2026-11-27T10:15:30Z) or a time ago (30s, 5m, 2h,"
            + " 1h30m)");
  }

  private static Duration nonNegative(Duration duration, String text) {
    if (duration.isNegative()) {
      throw notADuration(text);
    }
    return duration;
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration; use ISO-8601 (PT1M) or 30s, 5m, 2h, 1h30m");
  }
}
