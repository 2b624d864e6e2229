package io.agentainer.flow.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.el.ELException;
import jakarta.el.ExpressionFactory;
import jakarta.el.StandardELContext;
import jakarta.el.ValueExpression;
import java.util.Iterator;
import java.util.Map;

/**
 * Jakarta Expression Language over a run's {@code input}, its steps' {@code results} and its {@code
 * state}: conditions ({@code when}), the items of a map step, and the templates of step inputs,
 * where a string that is one {@code ${...}} becomes the value itself (a list stays a list) and a
 * string with text around expressions becomes text.
 */
public final class Expressions {

  private static final ExpressionFactory FACTORY = ExpressionFactory.newInstance();

  private final ObjectMapper json;

  public Expressions(ObjectMapper json) {
    this.json = json;
  }

  /** What expressions see: {@code input}, {@code results.<step>} and {@code state.<key>}. */
  public record Scope(
      JsonNode input,
      Map<String, JsonNode> results,
      java.util.function.Supplier<Map<String, JsonNode>> state) {

    /** A scope whose state is known already. */
    public Scope(JsonNode input, Map<String, JsonNode> results, Map<String, JsonNode> state) {
      this(input, results, () -> state);
    }
  }

  /** A template with its expressions replaced. */
  public JsonNode resolve(JsonNode template, Scope scope) {
    if (template == null || template.isNull() || template.isMissingNode()) {
      return json.createObjectNode();
    }
    if (template.isTextual()) {
      String text = template.asText();
      if (!text.contains("${")) {
        return template;
      }
      if (isSingleExpression(text)) {
        return json.valueToTree(evaluate(text, scope));
      }
      Object interpolated = value(text, scope, String.class);
      return json.getNodeFactory().textNode(interpolated == null ? "" : interpolated.toString());
    }
    if (template.isObject()) {
      ObjectNode resolved = json.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        resolved.set(field.getKey(), resolve(field.getValue(), scope));
      }
      return resolved;
    }
    if (template.isArray()) {
      ArrayNode resolved = json.createArrayNode();
      template.forEach(element -> resolved.add(resolve(element, scope)));
      return resolved;
    }
    return template;
  }

  /** The value of one expression, written {@code ${x.y}} or {@code x.y}. */
  public Object evaluate(String expression, Scope scope) {
    String text = expression.trim();
    if (!text.startsWith("${") && !text.startsWith("#{")) {
      text = "${" + text + "}";
    }
    return value(text, scope, Object.class);
  }

  /** A condition: true only when it evaluates to {@code true} (or the text "true"). */
  public boolean test(String condition, Scope scope) {
    Object value = evaluate(condition, scope);
    return value instanceof Boolean b
        ? b
        : value != null && "true".equalsIgnoreCase(value.toString());
  }

  private Object value(String text, Scope scope, Class<?> type) {
    StandardELContext context = new StandardELContext(FACTORY);
    define(context, "input", plain(scope.input()));
    define(context, "results", json.convertValue(scope.results(), Map.class));
    if (text.contains("state")) { // read only when an expression may use it
      define(context, "state", json.convertValue(scope.state().get(), Map.class));
    }
    try {
      ValueExpression expression = FACTORY.createValueExpression(context, text, type);
      return expression.getValue(context);
    } catch (ELException e) {
      throw new ExpressionException(text, e.getMessage());
    }
  }

  private Object plain(JsonNode node) {
    return node == null || node.isNull() ? Map.of() : json.convertValue(node, Object.class);
  }

  private static void define(StandardELContext context, String name, Object value) {
    context
        .getVariableMapper()
        .setVariable(name, FACTORY.createValueExpression(value, Object.class));
  }

  static boolean isSingleExpression(String text) {
    String t = text.trim();
    return t.startsWith("${") && t.endsWith("}") && t.indexOf("${", 2) < 0;
  }

  /** An expression that does not evaluate, with the expression and the reason. */
  public static final class ExpressionException extends RuntimeException {
    private final String expression;

    public ExpressionException(String expression, String reason) {
      super(expression + ": " + reason);
      this.expression = expression;
    }

    public String expression() {
      return expression;
    }
  }
}
