package io.agentainer.flow.server.definition;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A pooled step's {@code pool} settings as written: every field may be null (the pool's defaults
 * apply). {@link #read} checks each field and reports a problem naming it.
 *
 * @param warmSchedule a five-field cron expression (UTC) at which the pool warms to {@code
 *     warmSize}
 */
public record PoolSpec(
    Integer minSize,
    Integer maxSize,
    Duration idleTimeout,
    Integer maxUses,
    Boolean warmUp,
    Boolean shared,
    Duration leaseTimeout,
    String warmSchedule,
    Integer warmSize) {

  /** No settings: every default applies. */
  public static final PoolSpec DEFAULTS =
      new PoolSpec(null, null, null, null, null, null, null, null, null);

  static final Set<String> FIELDS =
      Set.of(
          "minSize",
          "maxSize",
          "idleTimeout",
          "maxUses",
          "warmUp",
          "shared",
          "leaseTimeout",
          "warmSchedule",
          "warmSize");

  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Whether the step's pool is shared across definitions. */
  public boolean isShared() {
    return Boolean.TRUE.equals(shared);
  }

  /** Whether a run warms the pool when it starts (the default). */
  public boolean warmsOnRunStart() {
    return !Boolean.FALSE.equals(warmUp);
  }

  /**
   * Reads {@code node} (null: defaults), reporting each bad field as {@code (path.field, message)}.
   */
  public static PoolSpec read(JsonNode node, String path, BiConsumer<String, String> problems) {
    if (node == null || node.isNull()) {
      return DEFAULTS;
    }
    if (!node.isObject()) {
      problems.accept(path, "must be an object such as {maxSize: 5}");
      return DEFAULTS;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.accept(path + "." + name, "unknown field; expected one of " + sorted());
      }
    }
    Integer min = integer(node, "minSize", path, 0, problems);
    Integer max = integer(node, "maxSize", path, 1, problems);
    if (min != null && max != null && min > max) {
      problems.accept(path + ".minSize", "must not exceed maxSize (" + max + "), got " + min);
    }
    Integer warmSize = integer(node, "warmSize", path, 0, problems);
    if (warmSize != null && max != null && warmSize > max) {
      problems.accept(path + ".warmSize", "must not exceed maxSize (" + max + "), got " + warmSize);
    }
    String schedule = text(node, "warmSchedule", path, problems);
    if (schedule != null) {
      cronProblem(schedule).ifPresent(p -> problems.accept(path + ".warmSchedule", p));
    }
    return new PoolSpec(
        min,
        max,
        duration(node, "idleTimeout", path, problems),
        integer(node, "maxUses", path, 1, problems),
        bool(node, "warmUp", path, problems),
        bool(node, "shared", path, problems),
        duration(node, "leaseTimeout", path, problems),
        schedule,
        warmSize);
  }

  /** What is wrong with a cron expression, if anything. */
  public static Optional<String> cronProblem(String expression) {
    try {
      CRON.parse(expression).validate();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(
          "not a five-field cron expression (minute hour day month weekday), e.g. '0 8 * * 1-5': "
              + e.getMessage());
    }
  }

  /** The first time after {@code after} that {@code expression} names (UTC). */
  public static Optional<Instant> nextCronTime(String expression, Instant after) {
    Cron cron = CRON.parse(expression);
    return ExecutionTime.forCron(cron)
        .nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC))
        .map(ZonedDateTime::toInstant);
  }

  private static String sorted() {
    return FIELDS.stream().sorted().toList().toString();
  }

  private static Integer integer(
      JsonNode node, String field, String path, int least, BiConsumer<String, String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      problems.accept(path + "." + field, "must be a whole number, got " + value);
      return null;
    }
    if (value.intValue() < least) {
      problems.accept(path + "." + field, "must be at least " + least + ", got " + value);
      return null;
    }
    return value.intValue();
  }

  private static Boolean bool(
      JsonNode node, String field, String path, BiConsumer<String, String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      problems.accept(path + "." + field, "must be true or false, got " + value);
      return null;
    }
    return value.booleanValue();
  }

  private static String text(
      JsonNode node, String field, String path, BiConsumer<String, String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.accept(path + "." + field, "must be a non-empty string, got " + value);
      return null;
    }
    return value.asText().trim();
  }

  private static Duration duration(
      JsonNode node, String field, String path, BiConsumer<String, String> problems) {
    String text = text(node, field, path, problems);
    if (text == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(path + "." + field, text);
      if (d.isZero()) {
        problems.accept(path + "." + field, "must be more than zero, got '" + text + "'");
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String prefix = path + "." + field + ": ";
      problems.accept(
          path + "." + field,
          message.startsWith(prefix) ? message.substring(prefix.length()) : e.getMessage());
      return null;
    }
  }
}
