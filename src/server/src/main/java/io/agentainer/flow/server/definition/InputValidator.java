package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema (draft 2020-12 unless the schema's {@code $schema} says otherwise) for a run's input
 * against its definition's {@code parameters}, and for {@code parameters} itself against the
 * meta-schema. {@code format} is asserted ({@code date-time}, {@code email}, ...). Problems name
 * the place in the input: {@code input.docs}, {@code input.docs[2]}. Nothing is fetched: the
 * meta-schemas travel inside the library, and a {@code $ref} to any other URI is refused.
 */
public final class InputValidator {

  private static final SpecVersion.VersionFlag DIALECT = SpecVersion.VersionFlag.V202012;
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final int CACHED_SCHEMAS = 64;

  /** {@code format} (date-time, email, uuid, ...) is checked, not just noted. */
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  /** Compiled schemas by their JSON: a definition's parameters are compiled once. */
  private static final Map<JsonNode, JsonSchema> CACHE =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<JsonNode, JsonSchema> eldest) {
              return size() > CACHED_SCHEMAS;
            }
          });

  private InputValidator() {}

  /**
   * The ways {@code input} does not match {@code schema}, with paths from {@code input}; empty when
   * it matches or there is no schema. A missing input (null) is validated as {@code {}}.
   *
   * @throws IllegalArgumentException when {@code schema} is no usable JSON Schema (a definition's
   *     parameters were checked with {@link #schemaProblems} when it was registered)
   */
  public static List<Problem> validate(JsonNode schema, JsonNode input) {
    return validate(schema, input, "input");
  }

  /** As {@link #validate(JsonNode, JsonNode)}, paths starting at {@code root}. */
  public static List<Problem> validate(JsonNode schema, JsonNode input, String root) {
    if (schema == null || schema.isNull() || schema.isMissingNode()) {
      return List.of();
    }
    JsonNode value =
        input == null || input.isMissingNode() ? JsonNodeFactory.instance.objectNode() : input;
    return problems(compiled(schema).validate(value), root);
  }

  /**
   * The ways {@code schema} is not a valid JSON Schema, with paths from {@code root} (such as
   * {@code parameters.properties.docs.type}); empty when it is one.
   */
  public static List<Problem> schemaProblems(JsonNode schema, String root) {
    if (schema == null || schema.isNull()) {
      return List.of();
    }
    if (schema.isBoolean()) {
      return List.of();
    }
    if (!schema.isObject()) {
      return List.of(new Problem(root, "must be a JSON Schema (an object)"));
    }
    List<Problem> problems = problems(MetaSchema.INSTANCE.validate(schema), root);
    if (!problems.isEmpty()) {
      return problems;
    }
    try {
      compiled(schema);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(new Problem(root, e.getMessage()));
    }
  }

  private static JsonSchema compiled(JsonNode schema) {
    JsonSchema compiled = CACHE.get(schema);
    if (compiled != null) {
      return compiled;
    }
    try {
      compiled = Factory.INSTANCE.getSchema(schema.deepCopy(), CONFIG);
      // references are resolved lazily: resolve them now, so a bad one shows here
      compiled.initializeValidators();
    } catch (JsonSchemaException | IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage(), e);
    }
    CACHE.put(schema.deepCopy(), compiled);
    return compiled;
  }

  private static List<Problem> problems(Set<ValidationMessage> messages, String root) {
    Set<Problem> problems = new LinkedHashSet<>();
    for (ValidationMessage m : messages) {
      StringBuilder path = new StringBuilder(root);
      append(path, m.getInstanceLocation());
      String message = m.getError();
      String property = m.getProperty();
      switch (m.getType()) {
        case "required", "dependentRequired" -> {
          if (property != null) {
            path.append('.').append(property);
            message = "is required";
          }
        }
        case "additionalProperties", "unevaluatedProperties" -> {
          if (property != null) {
            path.append('.').append(property);
            message = "is not allowed here (the schema does not define it)";
          }
        }
        default -> {}
      }
      problems.add(new Problem(path.toString(), message));
    }
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparing(Problem::path));
    return sorted;
  }

  private static void append(StringBuilder path, JsonNodePath location) {
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append('.').append(element);
      }
    }
  }

  private static final class Factory {
    /** Loads the meta-schemas from the library's jar and refuses any other URI. */
    static final JsonSchemaFactory INSTANCE =
        JsonSchemaFactory.getInstance(
            DIALECT,
            builder ->
                builder.schemaLoaders(
                    loaders ->
                        loaders.add(
                            new AllowSchemaLoader(
                                iri -> iri.toString().startsWith("classpath:")))));
  }

  private static final class MetaSchema {
    static final JsonSchema INSTANCE = Factory.INSTANCE.getSchema(SchemaLocation.of(META_SCHEMA));
  }
}
