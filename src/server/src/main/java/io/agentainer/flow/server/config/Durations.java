package io.agentainer.flow.server.config;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them: ISO-8601 ({@code PT30M}, {@code P30D}) or short ({@code 30m},
 * {@code 1h}, {@code 500ms}, {@code 2d}).
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code text}; {@code field} names what is parsed in the error message.
   *
   * @throws IllegalArgumentException naming the field when the text is no duration or negative
   */
  public static Duration parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + ": a duration is required (e.g. PT30M or 30m)");
    }
    String value = text.trim();
    Duration duration;
    Matcher shortForm = SHORT.matcher(value.toLowerCase(Locale.ROOT));
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      duration =
          switch (shortForm.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      duration = iso(field, value.toUpperCase(Locale.ROOT));
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException(field + ": must not be negative, got '" + text + "'");
    }
    return duration;
  }

  private static Duration iso(String field, String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException notTime) {
      try {
        Period period = Period.parse(value);
        if (period.getYears() != 0 || period.getMonths() != 0) {
          throw new IllegalArgumentException(
              field + ": use days, not months or years, got '" + value + "'");
        }
        return Duration.ofDays(period.getDays());
      } catch (DateTimeParseException notPeriod) {
        throw new IllegalArgumentException(
            field + ": not a duration (e.g. PT30M, P30D or 30m), got '" + value + "'");
      }
    }
  }
}
