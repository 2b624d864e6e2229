package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.client.DefinitionRef;
import io.agentainer.flow.sdk.client.WorkflowClient;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a {@link Workflow} class into the definition format ({@code name, steps: [...]}) that
 * {@code POST /api/definitions} registers. Each step runs handler {@code <workflow>.<step>} of its
 * image, which {@link WorkflowAgent} serves from the same class.
 *
 * <pre>{@code
 * ObjectNode definition = WorkflowCompiler.compile(Etl.class, "acme/etl-agent:latest");
 * }</pre>
 *
 * Structural mistakes throw {@link WorkflowDefinitionException} naming the method at fault.
 */
public final class WorkflowCompiler {

  private WorkflowCompiler() {}

  /** The definition of {@code type}, whose steps name their image in the annotations. */
  public static ObjectNode compile(Class<?> type) {
    return compile(type, null);
  }

  /**
   * The definition of {@code type}.
   *
   * @param image the agent image for steps whose annotations name none
   */
  public static ObjectNode compile(Class<?> type, String image) {
    return toDefinition(WorkflowModel.of(type, image));
  }

  /**
   * The definitions {@code type} needs, the child workflows of its {@code workflow} steps first
   * (register them in this order), by name.
   */
  public static Map<String, ObjectNode> compileWithChildren(Class<?> type, String image) {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    collect(type, image, out, new java.util.HashSet<>());
    return out;
  }

  private static void collect(
      Class<?> type, String image, Map<String, ObjectNode> out, java.util.Set<Class<?>> seen) {
    if (!seen.add(type)) {
      throw new WorkflowDefinitionException(
          type.getSimpleName() + ": workflows that contain each other form a cycle");
    }
    WorkflowModel model = WorkflowModel.of(type, image);
    for (StepModel step : model.steps.values()) {
      if (step.child() != null) {
        collect(step.child(), image, out, seen);
      }
    }
    seen.remove(type);
    out.putIfAbsent(model.name, toDefinition(model));
  }

  /**
   * Registers {@code type} and the child workflows it runs (children first) on the server: a new
   * version of each.
   *
   * @return the registered definitions, in the order they were registered
   */
  public static java.util.concurrent.CompletableFuture<java.util.List<DefinitionRef>> register(
      WorkflowClient client, Class<?> type, String image) {
    java.util.concurrent.CompletableFuture<java.util.List<DefinitionRef>> chain =
        java.util.concurrent.CompletableFuture.completedFuture(new java.util.ArrayList<>());
    for (ObjectNode definition : compileWithChildren(type, image).values()) {
      chain =
          chain.thenCompose(
              done ->
                  client
                      .register(definition)
                      .thenApply(
                          ref -> {
                            done.add(ref);
                            return done;
                          }));
    }
    return chain;
  }

  static ObjectNode toDefinition(WorkflowModel model) {
    ObjectNode def = Bindings.JSON.createObjectNode();
    def.put("name", model.name);
    if (!model.description.isBlank()) {
      def.put("description", model.description);
    }
    if (model.input != Void.class) {
      def.set("parameters", schemaOf(model.input));
    }
    if (model.timeout != null) {
      def.put("timeout", model.timeout.toString());
    }
    if (model.maxParallel > 0) {
      def.put("maxParallel", model.maxParallel);
    }
    ArrayNode steps = def.putArray("steps");
    for (StepModel step : model.steps.values()) {
      steps.add(stepNode(step));
    }
    return def;
  }

  private static ObjectNode stepNode(StepModel step) {
    ObjectNode s = Bindings.JSON.createObjectNode();
    s.put("name", step.name());
    s.put("kind", step.kind().word());
    if (!step.dependsOn().isEmpty()) {
      ArrayNode deps = s.putArray("dependsOn");
      step.dependsOn().forEach(deps::add);
    }
    if (step.when() != null) {
      s.put("when", step.when());
    }
    if (step.kind() == StepModel.Kind.WORKFLOW) {
      ObjectNode child = s.putObject("workflow");
      child.put("name", step.child().getAnnotation(Workflow.class).name());
      child.put("input", step.childInput() == null ? "${input}" : step.childInput());
      putTimeout(s, step.timeout());
      return s;
    }
    ObjectNode agent = s.putObject("agent");
    agent.put("image", step.image());
    agent.put("handler", step.handler());
    // what the method's parameters read: the run's input and the results they name
    ObjectNode input = s.putObject("input");
    input.put("input", "${input}");
    ObjectNode results = Bindings.JSON.createObjectNode();
    for (StepModel.Param p : step.params()) {
      if (p.source() == StepModel.Source.RESULT) {
        results.put(p.step(), "${results." + p.step() + "}");
      }
    }
    if (!results.isEmpty()) {
      input.set("results", results);
    }
    if (step.kind() == StepModel.Kind.PARALLEL) {
      s.put("count", step.count());
    }
    if (step.kind() == StepModel.Kind.MAP) {
      s.put("items", step.items());
    }
    if (step.pooled()) {
      s.put("executionMode", "pooled");
      ObjectNode pool = s.putObject("pool");
      pool.put("minSize", 0);
      pool.put("maxSize", step.poolSize());
      pool.put("warmUp", true);
      if (step.warmSchedule() != null) {
        pool.put("warmSchedule", step.warmSchedule());
      }
    }
    if (step.maxParallel() > 0) {
      s.put("maxParallel", step.maxParallel());
    }
    putTimeout(s, step.timeout());
    if (step.attempts() > 1) {
      ObjectNode retry = s.putObject("retry");
      retry.put("maxAttempts", step.attempts());
      retry.put("backoff", "exponential");
    }
    if (step.maxFailures() >= 0) {
      s.putObject("tolerance").put("maxFailures", step.maxFailures());
    }
    return s;
  }

  private static void putTimeout(ObjectNode s, Duration timeout) {
    if (timeout != null) {
      s.put("timeout", timeout.toString());
    }
  }

  /** A JSON Schema for a record: its components as properties, all but Optional ones required. */
  static ObjectNode schemaOf(Class<?> record) {
    ObjectNode schema = Bindings.JSON.createObjectNode();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = Bindings.JSON.createArrayNode();
    for (RecordComponent c : record.getRecordComponents()) {
      properties.set(c.getName(), typeSchema(c.getGenericType()));
      if (c.getType() != Optional.class) {
        required.add(c.getName());
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    return schema;
  }

  private static ObjectNode typeSchema(Type type) {
    ObjectNode node = Bindings.JSON.createObjectNode();
    Class<?> raw =
        type instanceof ParameterizedType p
            ? (Class<?>) p.getRawType()
            : type instanceof Class<?> c ? c : Object.class;
    if (raw == Optional.class) {
      return typeSchema(WorkflowModel.elementType(type));
    }
    if (raw == String.class || raw == char.class || raw == Character.class || raw.isEnum()) {
      node.put("type", "string");
    } else if (raw == int.class
        || raw == long.class
        || raw == short.class
        || raw == byte.class
        || raw == Integer.class
        || raw == Long.class
        || raw == Short.class
        || raw == Byte.class
        || raw == BigInteger.class) {
      node.put("type", "integer");
    } else if (raw == double.class
        || raw == float.class
        || raw == Double.class
        || raw == Float.class
        || raw == BigDecimal.class) {
      node.put("type", "number");
    } else if (raw == boolean.class || raw == Boolean.class) {
      node.put("type", "boolean");
    } else if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
      node.put("type", "array");
      if (Collection.class.isAssignableFrom(raw)) {
        node.set("items", typeSchema(WorkflowModel.elementType(type)));
      }
    } else if (raw.isRecord()) {
      return schemaOf(raw);
    } else if (Map.class.isAssignableFrom(raw)) {
      node.put("type", "object");
    }
    return node; // anything else: any JSON value
  }
}
