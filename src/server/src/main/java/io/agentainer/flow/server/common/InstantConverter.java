package io.agentainer.flow.server.common;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;

/**
 * Stores {@link Instant}s in {@code timestamptz} columns as offset date-times, so the value does
 * not depend on the JVM's or the database session's time zone. Reads what the driver hands over: an
 * offset date-time for attributes, a timestamp for aggregates such as {@code min(...)}; both are
 * instants.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, Object> {

  @Override
  public Object convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  @Override
  public Instant convertToEntityAttribute(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof OffsetDateTime offset) {
      return offset.toInstant();
    }
    if (value instanceof Date date) { // java.sql.Timestamp keeps its nanoseconds in toInstant()
      return date.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    throw new IllegalArgumentException("not an instant: " + value.getClass().getName());
  }
}
