package io.agentainer.flow.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * {@code --output json}: indented JSON with ISO-8601 times and absent values left out, as the API
 * writes them; and the compact one-line form for JSON inside a table.
 */
final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** Numbers as written: decimals as {@code BigDecimal}, trailing zeros kept ({@code 100.0}). */
  private static final ObjectReader EXACT =
      MAPPER
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private Json() {}

  /** Indented, for {@code --output json}. */
  static String write(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** On one line, for a value shown in a table. */
  static String compact(JsonNode value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Any value as a JSON tree, written as {@link #write} writes it. */
  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /**
   * Parses one JSON document from the API, keeping every number as it was written: a value shown
   * again reads as the server sent it ({@code 0.1}, {@code 100.0}, {@code 12345678901234567890.5}).
   */
  static JsonNode readExact(String text) throws JsonProcessingException {
    return EXACT.readTree(text);
  }

  /** Parses one JSON document; trailing text is an error. */
  static JsonNode read(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }
}
