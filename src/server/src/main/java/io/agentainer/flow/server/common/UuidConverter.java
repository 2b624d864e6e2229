package io.agentainer.flow.server.common;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.UUID;

/**
 * {@link UUID}s in {@code uuid} columns that may be null. EclipseLink 4.0's own UUID conversion
 * fails on a null column value, so nullable UUID attributes go through this converter (ids, never
 * null, keep EclipseLink's).
 */
@Converter(autoApply = true)
public class UuidConverter implements AttributeConverter<UUID, Object> {

  @Override
  public Object convertToDatabaseColumn(UUID uuid) {
    return uuid;
  }

  @Override
  public UUID convertToEntityAttribute(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
  }
}
