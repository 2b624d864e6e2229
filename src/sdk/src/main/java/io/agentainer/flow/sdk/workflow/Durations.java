package io.agentainer.flow.sdk.workflow;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations a definition takes: ISO-8601 ({@code PT30S}) or a number and a unit ({@code 30s}).
 */
final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** The duration {@code text} means, or null when it is not one (or not positive). */
  static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return d.isNegative() || d.isZero() ? null : d;
  }
}
