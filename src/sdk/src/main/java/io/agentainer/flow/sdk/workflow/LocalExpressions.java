package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The expressions of {@link LocalRunner}: the part of the server's Jakarta EL that step conditions
 * and lists use. Paths over {@code input}, {@code results} and {@code state} ({@code
 * results.split.docs}, {@code input.items[0]}), literals (numbers, quoted strings, true, false,
 * null), comparisons ({@code == != < > <= >=} and {@code eq ne lt gt le ge}), {@code empty}, {@code
 * !}/{@code not}, {@code &&}/{@code and}, {@code ||}/{@code or} and parentheses. Anything else is
 * reported as an expression local mode cannot evaluate; the server evaluates full EL.
 */
final class LocalExpressions {

  private final Map<String, JsonNode> roots;

  LocalExpressions(JsonNode input, Map<String, JsonNode> results, Map<String, JsonNode> state) {
    this.roots =
        Map.of(
            "input", input == null ? NullNode.getInstance() : input,
            "results", Bindings.JSON.valueToTree(results),
            "state", Bindings.JSON.valueToTree(state));
  }

  /**
   * The value of a template: a single {@code ${...}} gives its value, else text is interpolated.
   */
  JsonNode evaluate(String template) {
    String t = template.trim();
    if (t.startsWith("${") && t.endsWith("}") && t.indexOf("${", 2) < 0) {
      return new Parser(t.substring(2, t.length() - 1), template).parse();
    }
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < template.length()) {
      int open = template.indexOf("${", at);
      if (open < 0) {
        out.append(template, at, template.length());
        break;
      }
      int close = template.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException(template + ": unclosed ${");
      }
      out.append(template, at, open);
      JsonNode v = new Parser(template.substring(open + 2, close), template).parse();
      out.append(v.isTextual() ? v.asText() : v.isMissingNode() ? "" : v.toString());
      at = close + 1;
    }
    return TextNode.valueOf(out.toString());
  }

  /** Whether a condition holds (EL's coercion: true, or the text "true"). */
  boolean test(String template) {
    JsonNode v = evaluate(template);
    return v.isBoolean() ? v.booleanValue() : v.isTextual() && v.asText().equalsIgnoreCase("true");
  }

  private final class Parser {
    private final String text;
    private final String template;
    private int pos;

    Parser(String text, String template) {
      this.text = text;
      this.template = template;
    }

    JsonNode parse() {
      JsonNode v = or();
      skip();
      if (pos < text.length()) {
        throw fail("unexpected '" + text.substring(pos) + "'");
      }
      return v;
    }

    private JsonNode or() {
      JsonNode left = and();
      while (word("||") || word("or")) {
        JsonNode right = and();
        left = BooleanNode.valueOf(truthy(left) || truthy(right));
      }
      return left;
    }

    private JsonNode and() {
      JsonNode left = not();
      while (word("&&") || word("and")) {
        JsonNode right = not();
        left = BooleanNode.valueOf(truthy(left) && truthy(right));
      }
      return left;
    }

    private JsonNode not() {
      if (word("!") || word("not")) {
        return BooleanNode.valueOf(!truthy(not()));
      }
      if (word("empty")) {
        JsonNode v = not();
        return BooleanNode.valueOf(
            v.isMissingNode()
                || v.isNull()
                || (v.isContainerNode() || v.isTextual())
                    && v.size() == 0
                    && (!v.isTextual() || v.asText().isEmpty()));
      }
      return comparison();
    }

    private JsonNode comparison() {
      JsonNode left = primary();
      String[][] ops = {
        {"==", "eq"}, {"!=", "ne"}, {"<=", "le"}, {">=", "ge"}, {"<", "lt"}, {">", "gt"}
      };
      for (String[] op : ops) {
        if (word(op[0]) || word(op[1])) {
          return BooleanNode.valueOf(compare(op[0], left, primary()));
        }
      }
      return left;
    }

    private boolean compare(String op, JsonNode a, JsonNode b) {
      if (op.equals("==") || op.equals("!=")) {
        boolean equal =
            a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) == 0
                : (a.isNull() || a.isMissingNode()) && (b.isNull() || b.isMissingNode())
                    || a.isValueNode() && b.isValueNode() && a.asText().equals(b.asText())
                    || a.equals(b);
        return op.equals("==") == equal;
      }
      int c =
          a.isNumber() && b.isNumber()
              ? a.decimalValue().compareTo(b.decimalValue())
              : a.asText().compareTo(b.asText());
      return switch (op) {
        case "<" -> c < 0;
        case ">" -> c > 0;
        case "<=" -> c <= 0;
        default -> c >= 0;
      };
    }

    private JsonNode primary() {
      skip();
      if (pos >= text.length()) {
        throw fail("ends too early");
      }
      char c = text.charAt(pos);
      if (c == '(') {
        pos++;
        JsonNode v = or();
        if (!word(")")) {
          throw fail("missing )");
        }
        return v;
      }
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, pos + 1);
        if (end < 0) {
          throw fail("unclosed string");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return TextNode.valueOf(s);
      }
      if (Character.isDigit(c) || c == '-') {
        int start = pos++;
        while (pos < text.length()
            && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
          pos++;
        }
        return DecimalNode.valueOf(new BigDecimal(text.substring(start, pos)));
      }
      String name = identifier();
      switch (name) {
        case "true":
          return BooleanNode.TRUE;
        case "false":
          return BooleanNode.FALSE;
        case "null":
          return NullNode.getInstance();
        default:
          break;
      }
      JsonNode v = roots.get(name);
      if (v == null) {
        throw fail("unknown name '" + name + "' (input, results or state)");
      }
      while (pos < text.length()) {
        if (text.charAt(pos) == '.') {
          pos++;
          v = v.path(identifier());
        } else if (text.charAt(pos) == '[') {
          int end = text.indexOf(']', pos);
          if (end < 0) {
            throw fail("missing ]");
          }
          String index = text.substring(pos + 1, end).trim();
          pos = end + 1;
          v =
              index.startsWith("'") || index.startsWith("\"")
                  ? v.path(index.substring(1, index.length() - 1))
                  : v.path(Integer.parseInt(index));
        } else {
          break;
        }
      }
      return v;
    }

    private String identifier() {
      skip();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || "_-".indexOf(text.charAt(pos)) >= 0)) {
        pos++;
      }
      if (start == pos) {
        throw fail("expected a name at '" + text.substring(start) + "'");
      }
      return text.substring(start, pos);
    }

    private boolean word(String w) {
      skip();
      if (!text.startsWith(w, pos)) {
        return false;
      }
      int end = pos + w.length();
      if (Character.isLetter(w.charAt(0))
          && end < text.length()
          && Character.isLetterOrDigit(text.charAt(end))) {
        return false;
      }
      pos = end;
      return true;
    }

    private void skip() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException fail(String why) {
      return new IllegalArgumentException(
          template + ": " + why + " (local mode evaluates paths, literals, comparisons and logic)");
    }
  }

  private static boolean truthy(JsonNode v) {
    return v.isBoolean() ? v.booleanValue() : v.isTextual() && v.asText().equalsIgnoreCase("true");
  }

  static JsonNode missing() {
    return MissingNode.getInstance();
  }
}
