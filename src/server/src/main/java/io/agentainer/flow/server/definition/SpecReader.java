package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.server.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a definition's tree into a {@link WorkflowSpec}: the shape (types, unknown fields, fields
 * that do not belong to a step's kind, durations, kinds). What it cannot read it reports and leaves
 * null, so that {@link DefinitionValidator} still checks the rest; the meaning (names, references,
 * cycles, limits) is the validator's.
 */
final class SpecReader {

  static final List<String> WORKFLOW_FIELDS =
      List.of(
          "$schema",
          "name",
          "description",
          "parameters",
          "timeout",
          "maxParallel",
          "retention",
          "steps");
  static final List<String> STEP_FIELDS =
      List.of(
          "name",
          "kind",
          "dependsOn",
          "when",
          "agent",
          "input",
          "executionMode",
          "pool",
          "maxParallel",
          "timeout",
          "retry",
          "tolerance",
          "count",
          "params",
          "items",
          "then",
          "else",
          "workflow");
  static final List<String> AGENT_FIELDS =
      List.of("image", "handler", "runtime", "env", "cpus", "memoryMb");
  static final List<String> RETRY_FIELDS =
      List.of("maxAttempts", "backoff", "initialDelay", "maxDelay", "jitter");
  static final List<String> TOLERANCE_FIELDS = List.of("minSuccessRatio", "maxFailures");
  static final List<String> WORKFLOW_REF_FIELDS = List.of("name", "version", "input");

  /** The fields each kind takes; the rest of {@link #STEP_FIELDS} are refused for it. */
  static final Map<StepKind, Set<String>> KIND_FIELDS = kindFields();

  private static Map<StepKind, Set<String>> kindFields() {
    List<String> common = List.of("name", "kind", "dependsOn", "when", "timeout");
    List<String> jobs =
        List.of("agent", "input", "executionMode", "pool", "maxParallel", "retry", "tolerance");
    Map<StepKind, Set<String>> fields = new EnumMap<>(StepKind.class);
    for (StepKind kind : StepKind.values()) {
      Set<String> set = new LinkedHashSet<>(common);
      if (kind.runsJobs()) {
        set.addAll(jobs);
      }
      switch (kind) {
        case PARALLEL -> set.addAll(List.of("count", "params"));
        case MAP -> set.add("items");
        case BRANCH -> set.addAll(List.of("then", "else"));
        case WORKFLOW -> set.add("workflow");
        default -> {}
      }
      fields.put(kind, Set.copyOf(set));
    }
    return fields;
  }

  private final Problems problems;

  SpecReader(Problems problems) {
    this.problems = problems;
  }

  WorkflowSpec workflow(JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("body", "required: a workflow definition");
      return new WorkflowSpec(null, null, null, null, null, null, List.of());
    }
    if (!root.isObject()) {
      problems.add("body", "must be an object (a mapping) with name and steps, got " + type(root));
      return new WorkflowSpec(null, null, null, null, null, null, List.of());
    }
    knownFields(root, "", WORKFLOW_FIELDS);
    JsonNode parameters = value(root, "parameters");
    if (parameters != null && !parameters.isObject() && !parameters.isBoolean()) {
      problems.add("parameters", "must be a JSON Schema (an object), got " + type(parameters));
      parameters = null;
    }
    return new WorkflowSpec(
        text(root, "name", "name"),
        text(root, "description", "description"),
        parameters,
        duration(root, "timeout", "timeout"),
        integer(root, "maxParallel", "maxParallel"),
        duration(root, "retention", "retention"),
        steps(root));
  }

  private List<StepSpec> steps(JsonNode root) {
    JsonNode steps = value(root, "steps");
    if (steps == null) {
      return List.of();
    }
    if (!steps.isArray()) {
      problems.add("steps", "must be a list of steps, got " + type(steps));
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (JsonNode step : steps) {
      JsonNode name = step.get("name");
      names.add(name != null && name.isTextual() ? name.asText() : null);
    }
    List<String> paths = StepPaths.of(names);
    List<StepSpec> result = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      String path = paths.get(i);
      if (!step.isObject()) {
        problems.add(path, "must be an object with name and kind, got " + type(step));
        // a placeholder keeps the positions of the steps after it
        result.add(
            new StepSpec(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null));
        continue;
      }
      result.add(step(step, path));
    }
    return result;
  }

  private StepSpec step(JsonNode step, String path) {
    StepKind kind = kind(step, path);
    Set<String> allowed = kind == null ? Set.copyOf(STEP_FIELDS) : KIND_FIELDS.get(kind);
    step.fieldNames()
        .forEachRemaining(
            field -> {
              if (!STEP_FIELDS.contains(field)) {
                problems.add(path + "." + field, unknown(field, STEP_FIELDS));
              } else if (!allowed.contains(field)) {
                problems.add(path + "." + field, "not allowed in a " + kind.wire() + " step");
              }
            });
    return new StepSpec(
        text(step, "name", path + ".name"),
        kind,
        names(step, "dependsOn", path + ".dependsOn"),
        agent(step, path + ".agent"),
        value(step, "input"),
        condition(step, path + ".when"),
        text(step, "executionMode", path + ".executionMode"),
        pool(step, path + ".pool"),
        integer(step, "maxParallel", path + ".maxParallel"),
        duration(step, "timeout", path + ".timeout"),
        retry(step, path + ".retry"),
        tolerance(step, path + ".tolerance"),
        integer(step, "count", path + ".count"),
        params(step, path + ".params"),
        itemsExpression(step, path + ".items"),
        names(step, "then", path + ".then"),
        names(step, "else", path + ".else"),
        workflowRef(step, path + ".workflow"));
  }

  private StepKind kind(JsonNode step, String path) {
    JsonNode kind = value(step, "kind");
    if (kind == null) {
      return StepKind.TASK;
    }
    if (!kind.isTextual()) {
      problems.add(
          path + ".kind", "must be one of " + StepKind.wireNames() + ", got " + describe(kind));
      return null;
    }
    try {
      return StepKind.fromWire(kind.asText());
    } catch (IllegalArgumentException e) {
      problems.add(path + ".kind", e.getMessage());
      return null;
    }
  }

  private AgentSpec agent(JsonNode step, String path) {
    JsonNode agent = object(step, "agent", path);
    if (agent == null) {
      return null;
    }
    knownFields(agent, path, AGENT_FIELDS);
    return new AgentSpec(
        text(agent, "image", path + ".image"),
        text(agent, "handler", path + ".handler"),
        text(agent, "runtime", path + ".runtime"),
        env(agent, path + ".env"),
        decimal(agent, "cpus", path + ".cpus"),
        integer(agent, "memoryMb", path + ".memoryMb"));
  }

  private Map<String, String> env(JsonNode agent, String path) {
    JsonNode env = object(agent, "env", path);
    if (env == null) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    env.fields()
        .forEachRemaining(
            e -> {
              JsonNode value = e.getValue();
              if (value.isValueNode() && !value.isNull()) {
                result.put(e.getKey(), value.asText());
              } else {
                problems.add(path + "." + e.getKey(), "must be a string, got " + type(value));
              }
            });
    return result;
  }

  private JsonNode pool(JsonNode step, String path) {
    return object(step, "pool", path);
  }

  private RetrySpec retry(JsonNode step, String path) {
    JsonNode retry = object(step, "retry", path);
    if (retry == null) {
      return null;
    }
    knownFields(retry, path, RETRY_FIELDS);
    Integer maxAttempts = integer(retry, "maxAttempts", path + ".maxAttempts");
    Double jitter = decimal(retry, "jitter", path + ".jitter");
    return new RetrySpec(
        maxAttempts == null ? RetrySpec.NONE.maxAttempts() : maxAttempts,
        text(retry, "backoff", path + ".backoff"),
        duration(retry, "initialDelay", path + ".initialDelay"),
        duration(retry, "maxDelay", path + ".maxDelay"),
        jitter == null ? RetrySpec.DEFAULT_JITTER : jitter);
  }

  private ToleranceSpec tolerance(JsonNode step, String path) {
    JsonNode tolerance = object(step, "tolerance", path);
    if (tolerance == null) {
      return null;
    }
    knownFields(tolerance, path, TOLERANCE_FIELDS);
    return new ToleranceSpec(
        decimal(tolerance, "minSuccessRatio", path + ".minSuccessRatio"),
        integer(tolerance, "maxFailures", path + ".maxFailures"));
  }

  private List<JsonNode> params(JsonNode step, String path) {
    JsonNode params = value(step, "params");
    if (params == null) {
      return null;
    }
    if (!params.isArray()) {
      problems.add(path, "must be a list (one entry per task), got " + type(params));
      return null;
    }
    List<JsonNode> result = new ArrayList<>();
    params.forEach(result::add);
    return result;
  }

  private String itemsExpression(JsonNode step, String path) {
    JsonNode items = value(step, "items");
    if (items == null) {
      return null;
    }
    if (!items.isTextual()) {
      problems.add(path, "must be an expression such as ${results.list.docs}, got " + type(items));
      return null;
    }
    return items.asText();
  }

  private String condition(JsonNode step, String path) {
    JsonNode when = value(step, "when");
    if (when != null && when.isBoolean()) {
      return when.asText();
    }
    return text(step, "when", path);
  }

  private WorkflowRef workflowRef(JsonNode step, String path) {
    JsonNode ref = object(step, "workflow", path);
    if (ref == null) {
      return null;
    }
    knownFields(ref, path, WORKFLOW_REF_FIELDS);
    return new WorkflowRef(
        text(ref, "name", path + ".name"),
        integer(ref, "version", path + ".version"),
        value(ref, "input"));
  }

  // --- values

  /** The field's value, or null when it is absent or null. */
  private static JsonNode value(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private void knownFields(JsonNode object, String path, List<String> known) {
    String prefix = path.isEmpty() ? "" : path + ".";
    object
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!known.contains(field)) {
                problems.add(prefix + field, unknown(field, known));
              }
            });
  }

  private static String unknown(String field, List<String> known) {
    return "unknown field '"
        + field
        + "'; expected one of "
        + String.join(", ", known.stream().filter(f -> !f.startsWith("$")).toList());
  }

  private ObjectNode object(JsonNode parent, String field, String path) {
    JsonNode value = value(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      problems.add(path, "must be an object, got " + type(value));
      return null;
    }
    return (ObjectNode) value;
  }

  private String text(JsonNode parent, String field, String path) {
    JsonNode value = value(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(path, "must be a string, got " + type(value));
      return null;
    }
    return value.asText();
  }

  private Integer integer(JsonNode parent, String field, String path) {
    JsonNode value = value(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !value.canConvertToExactIntegral()) {
      problems.add(path, "must be a whole number, got " + describe(value));
      return null;
    }
    if (!value.canConvertToInt()) {
      problems.add(path, "must be at most " + Integer.MAX_VALUE + ", got " + value);
      return null;
    }
    return value.asInt();
  }

  private Double decimal(JsonNode parent, String field, String path) {
    JsonNode value = value(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      problems.add(path, "must be a number, got " + describe(value));
      return null;
    }
    return value.asDouble();
  }

  private Duration duration(JsonNode parent, String field, String path) {
    JsonNode value = value(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(path, "must be a duration such as PT30M, P30D or 30m, got " + describe(value));
      return null;
    }
    try {
      return Durations.parse(path, value.asText());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      problems.add(
          path, message.startsWith(path + ": ") ? message.substring(path.length() + 2) : message);
      return null;
    } catch (ArithmeticException e) {
      problems.add(path, "too long, got '" + value.asText() + "'");
      return null;
    }
  }

  private List<String> names(JsonNode parent, String field, String path) {
    JsonNode value = value(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      problems.add(path, "must be a list of step names, got " + type(value));
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode name = value.get(i);
      if (name.isTextual()) {
        names.add(name.asText());
      } else {
        problems.add(path + "[" + i + "]", "must be a step name, got " + type(name));
      }
    }
    return names;
  }

  /** {@code a number 5}, {@code a string "x"}; containers by their type alone. */
  static String describe(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? type(node) + " " + node : type(node);
  }

  static String type(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "a list";
      case OBJECT, POJO -> "an object";
      case NULL, MISSING -> "null";
      case BINARY -> "binary data";
    };
  }
}
