package io.agentainer.flow.server.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;

/**
 * State values as JSON: decimals kept exact (never doubles), and the one rule of how a history row
 * changes a value, shared by the current value, the value at an instant and the checkpointer.
 */
public final class StateValues {

  /** Exact numbers in and out, and no limit below what the store accepts for one value. */
  public static final ObjectMapper JSON = mapper();

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** Equal as JSON, with numbers compared by value ({@code 1} equals {@code 1.0}). */
  private static final Comparator<JsonNode> SAME =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private StateValues() {}

  private static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .maxNumberLength(1000)
                .build());
    return mapper;
  }

  /**
   * The value after {@code op}. Arrays of {@code current} are changed in place: the caller owns
   * {@code current}.
   *
   * @param current the value before, or null when the key is absent
   * @return the value after, or null when the key is absent after
   */
  public static JsonNode apply(JsonNode current, StateOp op, JsonNode value, BigDecimal delta) {
    switch (op) {
      case PUT:
      case COMPARE_AND_SWAP:
        return value;
      case DELETE:
        return null;
      case INCREMENT:
        return number(current == null ? delta : current.decimalValue().add(delta));
      case APPEND:
      case ADD_TO_SET:
        ArrayNode list =
            current == null || !current.isArray()
                ? JsonNodeFactory.instance.arrayNode()
                : (ArrayNode) current;
        list.add(value);
        return list;
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** A number as JSON: whole numbers without a fraction, decimals in plain notation. */
  public static JsonNode number(BigDecimal value) {
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      // the node a parser makes of the same text, so that values compare equal as trees
      BigInteger whole = stripped.toBigIntegerExact();
      if (whole.bitLength() < 32) {
        return JsonNodeFactory.instance.numberNode(whole.intValue());
      }
      return whole.bitLength() < 64
          ? JsonNodeFactory.instance.numberNode(whole.longValue())
          : JsonNodeFactory.instance.numberNode(whole);
    }
    return JsonNodeFactory.instance.numberNode(stripped);
  }

  /** Whether {@code value} is a whole number within the range of a {@code long}. */
  public static boolean isLong(BigDecimal value) {
    return value.signum() == 0
        || (value.stripTrailingZeros().scale() <= 0
            && value.compareTo(LONG_MIN) >= 0
            && value.compareTo(LONG_MAX) <= 0);
  }

  /** Whether two values are the same JSON, numbers by value. Null means absent. */
  public static boolean same(JsonNode a, JsonNode b) {
    if (a == null || a.isNull()) {
      return b == null || b.isNull();
    }
    return b != null && a.equals(SAME, b);
  }

  /** Whether {@code list} holds an element the same as {@code element}. */
  public static boolean contains(JsonNode list, JsonNode element) {
    for (JsonNode e : list) {
      if (same(e, element)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code object}, {@code array}, {@code string}, {@code number}, {@code boolean} or {@code null}.
   */
  public static String type(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return "string";
  }

  /** What a user calls the type: "a string", "a list", "a map". */
  public static String describe(String type) {
    switch (type) {
      case "object":
        return "a map";
      case "array":
        return "a list";
      case "number":
        return "a number";
      case "boolean":
        return "a boolean";
      case "string":
        return "a string";
      default:
        return "null";
    }
  }

  public static String write(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode read(String text) {
    try {
      return text == null ? null : JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("stored state is not JSON", e);
    }
  }
}
