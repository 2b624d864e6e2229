package io.agentainer.flow.server.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code ?status=} filter of a list endpoint: repeated and/or comma-separated, any case; an
 * unknown status is a 400 naming {@code status} and listing the known ones.
 */
public final class StatusParameter {

  private StatusParameter() {}

  public static <E extends Enum<E>> Set<E> parse(Class<E> type, List<String> values) {
    Set<E> statuses = EnumSet.noneOf(type);
    if (values == null) {
      return statuses;
    }
    for (String value : values) {
      for (String part : value.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          statuses.add(Enum.valueOf(type, part.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(
              "status", "expected " + known(type) + ", got '" + part.trim() + "'");
        }
      }
    }
    return statuses;
  }

  /** {@code A, B or C}. */
  static <E extends Enum<E>> String known(Class<E> type) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    return String.join(", ", names.subList(0, names.size() - 1))
        + " or "
        + names.get(names.size() - 1);
  }
}
