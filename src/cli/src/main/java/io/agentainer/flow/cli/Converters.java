package io.agentainer.flow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values that need more than a type: each refuses a bad value with a sentence, which picocli
 * prefixes with the option's name ({@code Invalid value for option '--input': ...}) and turns into
 * exit code 2.
 */
final class Converters {

  private Converters() {}

  /** JSON given inline, or {@code @path} to read it from a file. */
  static final class JsonInput implements ITypeConverter<JsonNode> {
    @Override
    public JsonNode convert(String value) {
      String text = value;
      String where = "";
      if (value.startsWith("@")) {
        Path path = Path.of(value.substring(1));
        where = " in " + path;
        try {
          text = Files.readString(path);
        } catch (NoSuchFileException e) {
          throw new TypeConversionException("no file " + path);
        } catch (IOException e) {
          throw new TypeConversionException("cannot read " + path + ": " + e.getMessage());
        }
      }
      try {
        JsonNode json = Json.read(text);
        if (json == null || json.isMissingNode()) {
          throw new TypeConversionException("no JSON" + where);
        }
        return json;
      } catch (JsonProcessingException e) {
        throw new TypeConversionException(
            "not valid JSON" + where + ": " + e.getOriginalMessage() + location(e));
      }
    }

    private static String location(JsonProcessingException e) {
      return e.getLocation() == null
          ? ""
          : " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")";
    }
  }

  /** ISO-8601 or short durations, see {@link Times#parse(String)}. */
  static final class DurationValue implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Times.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A page number as people count: from 1. */
  static final class PageNumber implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int page = integer(value);
      if (page < 1) {
        throw new TypeConversionException("pages count from 1, got " + value);
      }
      return page;
    }
  }

  /** A page size the API accepts: 1 to 500. */
  static final class PageSize implements ITypeConverter<Integer> {
    static final int MAX = 500;

    @Override
    public Integer convert(String value) {
      int size = integer(value);
      if (size < 1 || size > MAX) {
        throw new TypeConversionException("must be between 1 and " + MAX + ", got " + value);
      }
      return size;
    }
  }

  /** A count that may be zero: 0 or more ({@code pool resize --min}, {@code pool warm --size}). */
  static final class NonNegative implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int count = integer(value);
      if (count < 0) {
        throw new TypeConversionException("must be 0 or more, got " + value);
      }
      return count;
    }
  }

  /** A count that may not be zero: 1 or more ({@code pool resize --max}). */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int count = integer(value);
      if (count < 1) {
        throw new TypeConversionException("must be 1 or more, got " + value);
      }
      return count;
    }
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
  }

  /** An event id to start after: 0 or more. */
  static final class EventId implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long id = Long.parseLong(value.trim());
        if (id >= 0) {
          return id;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new TypeConversionException("'" + value + "' is not an event id (0 or more)");
    }
  }

  /** How many events to show: 1 to 5000, as the API allows. */
  static final class EventLimit implements ITypeConverter<Integer> {
    static final int MAX = 5000;

    @Override
    public Integer convert(String value) {
      int limit = integer(value);
      if (limit < 1 || limit > MAX) {
        throw new TypeConversionException("must be between 1 and " + MAX + ", got " + value);
      }
      return limit;
    }
  }

  /** How many state changes {@code workflow state --history} shows: 1 to 10000. */
  static final class HistoryLimit implements ITypeConverter<Integer> {
    static final int MAX = 10_000;

    @Override
    public Integer convert(String value) {
      int limit = integer(value);
      if (limit < 1 || limit > MAX) {
        throw new TypeConversionException("must be between 1 and " + MAX + ", got " + value);
      }
      return limit;
    }
  }
}
