package io.agentainer.flow.console.ui.definitions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A form for a definition's {@code parameters} (a JSON Schema object): a field per property, typed
 * by the property's {@code type} (text, number, true/false, JSON for lists and objects), required
 * ones marked, each field's problem shown on it.
 */
public class ParametersForm extends FormLayout {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One field and how its text becomes JSON. */
  private record Field(String name, String type, boolean required, Component component) {}

  private final Map<String, Field> fields = new LinkedHashMap<>();

  /** The form of {@code schema}; empty (no fields) when it has no {@code properties}. */
  public ParametersForm(JsonNode schema) {
    setId("run-parameters");
    setResponsiveSteps(
        new ResponsiveStep("0", 1), new ResponsiveStep("40em", 2), new ResponsiveStep("80em", 3));
    JsonNode properties = schema == null ? null : schema.get("properties");
    if (properties == null || !properties.isObject()) {
      return;
    }
    java.util.Set<String> required = new java.util.HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    properties
        .fields()
        .forEachRemaining(
            p -> {
              String name = p.getKey();
              JsonNode property = p.getValue();
              String type = type(property);
              boolean isRequired = required.contains(name);
              String label = name + (isRequired ? " *" : "");
              Component component;
              switch (type) {
                case "boolean" -> {
                  Checkbox box = new Checkbox(label);
                  box.setValue(property.path("default").asBoolean(false));
                  component = box;
                }
                case "array", "object" -> {
                  TextArea area = new TextArea(label);
                  area.setHelperText(
                      type.equals("array") ? "JSON list, e.g. [\"a\", \"b\"]" : "JSON object");
                  if (property.has("default")) {
                    area.setValue(property.get("default").toString());
                  }
                  component = area;
                }
                default -> {
                  TextField field = new TextField(label);
                  if (type.equals("integer") || type.equals("number")) {
                    field.setHelperText(type.equals("integer") ? "a whole number" : "a number");
                  }
                  if (property.has("default")) {
                    field.setValue(property.get("default").asText());
                  }
                  component = field;
                }
              }
              component.setId("param-" + name);
              if (property.hasNonNull("description") && component instanceof TextField t) {
                t.setTooltipText(property.get("description").asText());
              }
              fields.put(name, new Field(name, type, isRequired, component));
              add(component);
            });
  }

  /** Whether the schema had properties to fill in. */
  public boolean hasFields() {
    return !fields.isEmpty();
  }

  /** Sets a field's text (or a check box's {@code true}/{@code false}). */
  public void set(String name, String value) {
    Component component = fields.get(name).component();
    if (component instanceof Checkbox box) {
      box.setValue(Boolean.parseBoolean(value));
    } else if (component instanceof TextField field) {
      field.setValue(value);
    } else if (component instanceof TextArea area) {
      area.setValue(value);
    }
  }

  /**
   * The input the fields make, or empty when one of them is wrong: its problem is then shown on it.
   * Empty optional fields are left out.
   */
  public Optional<ObjectNode> value() {
    ObjectNode input = JSON.createObjectNode();
    boolean valid = true;
    for (Field field : fields.values()) {
      String problem = null;
      if (field.component() instanceof Checkbox box) {
        input.put(field.name(), box.getValue());
        continue;
      }
      String text =
          field.component() instanceof TextField t
              ? t.getValue()
              : ((TextArea) field.component()).getValue();
      text = text == null ? "" : text.trim();
      if (text.isEmpty()) {
        if (field.required()) {
          problem = field.name() + ": required";
        }
      } else {
        try {
          input.set(field.name(), parse(field.type(), text));
        } catch (IllegalArgumentException e) {
          problem = field.name() + ": " + e.getMessage();
        }
      }
      HasValidation validated = (HasValidation) field.component();
      validated.setInvalid(problem != null);
      validated.setErrorMessage(problem);
      valid &= problem == null;
    }
    return valid ? Optional.of(input) : Optional.empty();
  }

  /** Shows the server's problem on the field it names ({@code input.docs[0]} → {@code docs}). */
  public boolean showProblem(String path, String message) {
    if (path == null) {
      return false;
    }
    String name = path.startsWith("input.") ? path.substring("input.".length()) : path;
    int end = name.indexOf('.') < 0 ? name.length() : name.indexOf('.');
    int bracket = name.indexOf('[');
    if (bracket >= 0 && bracket < end) {
      end = bracket;
    }
    Field field = fields.get(name.substring(0, end));
    if (field == null || !(field.component() instanceof HasValidation validated)) {
      return false;
    }
    validated.setInvalid(true);
    validated.setErrorMessage(path + ": " + message);
    return true;
  }

  static String type(JsonNode property) {
    JsonNode type = property.path("type");
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (!t.asText().equals("null")) {
          return t.asText();
        }
      }
    }
    return type.isTextual() ? type.asText() : "string";
  }

  static JsonNode parse(String type, String text) {
    switch (type) {
      case "integer" -> {
        try {
          return JSON.getNodeFactory().numberNode(new BigDecimal(text).toBigIntegerExact());
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("not a whole number: '" + text + "'");
        }
      }
      case "number" -> {
        try {
          return JSON.getNodeFactory().numberNode(new BigDecimal(text));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number: '" + text + "'");
        }
      }
      case "array", "object" -> {
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (type.equals("array") != node.isArray() || (type.equals("object") && !node.isObject())) {
          throw new IllegalArgumentException(
              "must be a JSON " + (type.equals("array") ? "list" : "object"));
        }
        return node;
      }
      default -> {
        return JSON.getNodeFactory().textNode(text);
      }
    }
  }
}
