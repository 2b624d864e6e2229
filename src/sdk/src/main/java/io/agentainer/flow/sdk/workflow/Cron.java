package io.agentainer.flow.sdk.workflow;

import java.util.List;
import java.util.Locale;

/**
 * Checks a 5-field cron expression (minute hour day-of-month month day-of-week) as the server reads
 * it, so a bad schedule fails when the class is compiled rather than when it is registered. The
 * server parses it again with its cron library; this check only finds mistakes early.
 */
final class Cron {

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

  private Cron() {}

  /** What is wrong with {@code expression}, or null when it is a valid cron expression. */
  static String problem(String expression) {
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      return "a cron expression has 5 fields (minute hour day month weekday), got " + fields.length;
    }
    for (int i = 0; i < 5; i++) {
      for (String part : fields[i].split(",", -1)) {
        String problem = part(part.toUpperCase(Locale.ROOT), i);
        if (problem != null) {
          problem = problem.replace(part.toUpperCase(Locale.ROOT), part);
        }
        if (problem != null) {
          return FIELDS[i] + " '" + fields[i] + "': " + problem;
        }
      }
    }
    return null;
  }

  private static String part(String part, int field) {
    String range = part;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      range = part.substring(0, slash);
      Integer step = number(part.substring(slash + 1), -1);
      if (step == null || step < 1) {
        return "the step after / must be a positive number";
      }
    }
    if (range.equals("*") || (range.equals("?") && (field == 2 || field == 4))) {
      return null;
    }
    String[] ends = range.split("-", -1);
    if (ends.length > 2) {
      return "'" + range + "' is not a value or a range";
    }
    int[] bounds = RANGES[field];
    Integer first = null;
    for (String end : ends) {
      Integer value = number(end, field);
      if (value == null) {
        return "'" + end + "' is not a " + FIELDS[field];
      }
      if (value < bounds[0] || value > bounds[1]) {
        return value + " is outside " + bounds[0] + "-" + bounds[1];
      }
      if (first != null && value < first) {
        return "the range " + range + " runs backwards";
      }
      first = value;
    }
    return null;
  }

  private static Integer number(String text, int field) {
    if (field == 3 && MONTHS.contains(text)) {
      return MONTHS.indexOf(text) + 1;
    }
    if (field == 4 && DAYS.contains(text)) {
      return DAYS.indexOf(text);
    }
    if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Integer.parseInt(text);
  }
}
