package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;

/**
 * Reads a definition written in JSON or YAML (the same tree) into a valid {@link WorkflowSpec}, or
 * throws a {@link DefinitionException} with every problem found, each naming the step and field
 * ({@code steps[count].retry.maxAttempts}, {@code steps[2].kind}). Unknown fields are problems too.
 */
public final class DefinitionParser {

  /** The longest definition text accepted. */
  public static final int MAX_CHARS = 1_000_000;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private DefinitionParser() {}

  /**
   * @param format {@code json} or {@code yaml}, or a media type ({@link DefinitionFormat#of})
   * @throws DefinitionException with every problem of the definition
   */
  public static WorkflowSpec parse(String text, String format) {
    return parse(text, DefinitionFormat.of(format));
  }

  /**
   * @throws DefinitionException with every problem of the definition
   */
  public static WorkflowSpec parse(String text, DefinitionFormat format) {
    return parse(readTree(text, format));
  }

  /**
   * Reads and validates a definition's tree.
   *
   * @throws DefinitionException with every problem of the definition
   */
  public static WorkflowSpec parse(JsonNode tree) {
    Problems problems = new Problems();
    WorkflowSpec spec = new SpecReader(problems).workflow(tree);
    if (tree != null && tree.isObject()) {
      DefinitionValidator.validate(spec, problems);
    }
    problems.throwIfAny();
    return spec;
  }

  /** The problems of a definition, empty when it is valid: {@link #parse} without the exception. */
  public static List<Problem> problems(String text, String format) {
    try {
      parse(text, format);
      return List.of();
    } catch (DefinitionException e) {
      return e.problems();
    }
  }

  /**
   * The tree of a definition's text, not yet checked.
   *
   * @throws DefinitionException naming {@code body} when the text is empty, too long or not JSON or
   *     YAML
   */
  public static JsonNode readTree(String text, DefinitionFormat format) {
    if (text == null || text.isBlank()) {
      throw new DefinitionException("body", "required: a workflow definition in JSON or YAML");
    }
    if (text.length() > MAX_CHARS) {
      throw new DefinitionException(
          "body", "at most " + MAX_CHARS + " characters, got " + text.length());
    }
    try {
      JsonNode tree = (format == DefinitionFormat.YAML ? YAML : JSON).readTree(text);
      if (tree == null || tree.isMissingNode()) {
        throw new DefinitionException("body", "required: a workflow definition in JSON or YAML");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new DefinitionException("body", "not valid " + format + syntax(e));
    }
  }

  /**
   * Reads a spec stored by this server ({@link SpecJson#canonical}) without validating it again:
   * rules may have grown stricter since it was registered, and runs keep the version they started
   * with.
   *
   * @throws IllegalStateException when the text is no spec at all
   */
  public static WorkflowSpec readStored(String canonicalJson) {
    Problems problems = new Problems();
    WorkflowSpec spec;
    try {
      spec = new SpecReader(problems).workflow(JSON.readTree(canonicalJson));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored spec is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("a stored spec cannot be read: " + problems.list());
    }
    return spec;
  }

  private static String syntax(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    return where + ": " + message.strip();
  }
}
