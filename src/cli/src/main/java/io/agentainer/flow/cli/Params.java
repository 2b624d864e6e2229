package io.agentainer.flow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --param KEY=VALUE}: one value of a run's input. The value is JSON when it reads as JSON
 * ({@code 10}, {@code true}, {@code null}, {@code [1,2]}, <code>{"a":1}</code>, {@code "10"}), else
 * the text as a string ({@code hello}, {@code 01}, an empty value); a key with dots sets a nested
 * value ({@code limits.max=5} gives <code>{"limits": {"max": 5}}</code>). Params are laid over
 * {@code --input} in the order given; a later one for the same key wins.
 */
final class Params {

  private Params() {}

  /**
   * One {@code --param}.
   *
   * @param path the key split at its dots
   * @param text the option's value as typed, for messages
   */
  record Param(List<String> path, JsonNode value, String text) {}

  /** Reads {@code KEY=VALUE}; picocli names {@code --param} in the message of a refusal. */
  static final class Converter implements ITypeConverter<Param> {
    @Override
    public Param convert(String text) {
      try {
        return parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * @throws IllegalArgumentException without {@code =}, or with an empty key or key part
   */
  static Param parse(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("expected KEY=VALUE, got '" + text + "'");
    }
    String key = text.substring(0, eq);
    List<String> path = Arrays.asList(key.split("\\.", -1));
    if (path.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "'"
              + key
              + "' is not a key: use a name, or names joined by dots for a nested value (a.b)");
    }
    return new Param(List.copyOf(path), value(text.substring(eq + 1)), text);
  }

  /** JSON when the text reads as JSON, else the text as a string. */
  static JsonNode value(String text) {
    try {
      JsonNode json = Json.read(text);
      if (json != null && !json.isMissingNode()) {
        return json;
      }
    } catch (JsonProcessingException notJson) {
      // a plain string
    }
    return JsonNodeFactory.instance.textNode(text);
  }

  /**
   * The input to send: {@code input} (an object, or nothing) with each param set in it.
   *
   * @throws IllegalArgumentException naming {@code --input} when it is not an object but params are
   *     given, or {@code --param} when a key goes through a value that is not an object
   */
  static ObjectNode merge(JsonNode input, List<Param> params) {
    ObjectNode root;
    if (input == null || input.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    } else if (input.isObject()) {
      root = ((ObjectNode) input).deepCopy();
    } else {
      throw new IllegalArgumentException(
          "Invalid value for option '--input': the input of a run is a JSON object, got "
              + Json.compact(input));
    }
    for (Param param : params) {
      ObjectNode node = root;
      List<String> path = param.path();
      for (int i = 0; i < path.size() - 1; i++) {
        JsonNode child = node.get(path.get(i));
        if (child == null) {
          node = node.putObject(path.get(i));
        } else if (child instanceof ObjectNode object) {
          node = object;
        } else {
          throw new IllegalArgumentException(
              "Invalid value for option '--param': "
                  + param.text()
                  + ": "
                  + String.join(".", path.subList(0, i + 1))
                  + " is already "
                  + Json.compact(child)
                  + ", not an object");
        }
      }
      node.set(path.get(path.size() - 1), param.value());
    }
    return root;
  }
}
