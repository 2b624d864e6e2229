package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A spec as canonical JSON: fields in the order of the format, defaults left out, durations in
 * ISO-8601 ({@code P30D} for whole days), and the keys of embedded values ({@code parameters},
 * {@code input}, {@code params}, {@code pool}, {@code env}) sorted. Two definitions that mean the
 * same (say {@code 30m} and {@code PT30M}, or YAML and JSON) have the same canonical text, and so
 * the same {@link #hash}. Reading the canonical text back gives an equal spec.
 */
public final class SpecJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SpecJson() {}

  /** The canonical tree of a valid spec. */
  public static ObjectNode toTree(WorkflowSpec spec) {
    ObjectNode root = NODES.objectNode();
    root.put("name", spec.name());
    putText(root, "description", spec.description());
    putJson(root, "parameters", spec.parameters());
    putDuration(root, "timeout", spec.timeout());
    putInt(root, "maxParallel", spec.maxParallel());
    putDuration(root, "retention", spec.retention());
    ArrayNode steps = root.putArray("steps");
    spec.steps().forEach(step -> steps.add(step(step)));
    return root;
  }

  /** The canonical text: {@link #toTree} without white space. */
  public static String canonical(WorkflowSpec spec) {
    try {
      return MAPPER.writeValueAsString(toTree(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a spec as JSON", e);
    }
  }

  /** The SHA-256 of {@code canonical} (UTF-8), in lower-case hex. */
  public static String hash(String canonical) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static ObjectNode step(StepSpec step) {
    ObjectNode node = NODES.objectNode();
    node.put("name", step.name());
    node.put("kind", step.kind().wire());
    if (!step.dependsOn().isEmpty()) {
      putNames(node, "dependsOn", step.dependsOn());
    }
    putText(node, "when", step.when());
    if (step.agent() != null) {
      node.set("agent", agent(step.agent()));
    }
    putJson(node, "input", step.input());
    if (!StepSpec.COLD.equals(step.executionMode())) {
      node.put("executionMode", step.executionMode());
    }
    putJson(node, "pool", step.pool());
    putInt(node, "maxParallel", step.maxParallel());
    putDuration(node, "timeout", step.timeout());
    if (!RetrySpec.NONE.equals(step.retry())) {
      RetrySpec retry = step.retry();
      ObjectNode r = node.putObject("retry");
      r.put("maxAttempts", retry.maxAttempts());
      r.put("backoff", retry.backoff());
      putDuration(r, "initialDelay", retry.initialDelay());
      putDuration(r, "maxDelay", retry.maxDelay());
      r.put("jitter", retry.jitter());
    }
    if (!ToleranceSpec.ALL.equals(step.tolerance())) {
      ObjectNode t = node.putObject("tolerance");
      if (step.tolerance().minSuccessRatio() != null) {
        t.put("minSuccessRatio", step.tolerance().minSuccessRatio());
      }
      putInt(t, "maxFailures", step.tolerance().maxFailures());
    }
    putInt(node, "count", step.count());
    if (step.params() != null) {
      ArrayNode params = node.putArray("params");
      step.params().forEach(p -> params.add(sorted(p)));
    }
    putText(node, "items", step.items());
    if (!step.then().isEmpty()) {
      putNames(node, "then", step.then());
    }
    if (!step.otherwise().isEmpty()) {
      putNames(node, "else", step.otherwise());
    }
    if (step.workflow() != null) {
      ObjectNode w = node.putObject("workflow");
      w.put("name", step.workflow().name());
      putInt(w, "version", step.workflow().version());
      putJson(w, "input", step.workflow().input());
    }
    return node;
  }

  private static ObjectNode agent(AgentSpec agent) {
    ObjectNode node = NODES.objectNode();
    putText(node, "image", agent.image());
    putText(node, "handler", agent.handler());
    putText(node, "runtime", agent.runtime());
    if (!agent.env().isEmpty()) {
      ObjectNode env = node.putObject("env");
      new TreeMap<>(agent.env()).forEach(env::put);
    }
    if (agent.cpus() != null) {
      node.put("cpus", agent.cpus());
    }
    putInt(node, "memoryMb", agent.memoryMb());
    return node;
  }

  /** A copy of {@code node} whose objects have their keys in order, at every depth. */
  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      node.fields().forEachRemaining(fields::add);
      fields.sort(Map.Entry.comparingByKey());
      fields.forEach(e -> copy.set(e.getKey(), sorted(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(e -> copy.add(sorted(e)));
      return copy;
    }
    return node.deepCopy();
  }

  /** {@code P30D} for whole days, else ISO-8601 as {@link Duration#toString}. */
  static String duration(Duration d) {
    if (!d.isZero() && d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0) {
      return "P" + d.toDays() + "D";
    }
    return d.toString();
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putInt(ObjectNode node, String field, Integer value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putDuration(ObjectNode node, String field, Duration value) {
    if (value != null) {
      node.put(field, duration(value));
    }
  }

  private static void putJson(ObjectNode node, String field, JsonNode value) {
    if (value != null && !value.isNull()) {
      node.set(field, sorted(value));
    }
  }

  private static void putNames(ObjectNode node, String field, List<String> names) {
    ArrayNode array = node.putArray(field);
    names.forEach(array::add);
  }
}
