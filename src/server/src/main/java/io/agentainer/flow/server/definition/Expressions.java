package io.agentainer.flow.server.definition;

import jakarta.el.ELException;
import jakarta.el.ExpressionFactory;
import jakarta.el.StandardELContext;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jakarta EL of definitions: conditions ({@code when}), {@code items} and {@code ${...}} in
 * input templates. Conditions and items may be written with or without {@code ${}}; templates are
 * strings that contain it.
 */
final class Expressions {

  /** {@code results.NAME} or {@code results['NAME']}, not inside a longer name. */
  private static final Pattern RESULT_REF =
      Pattern.compile(
          "(?<![\\w.])results\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([^'\"]+)['\"]\\s*])");

  private static final int MAX_MESSAGE = 200;

  private Expressions() {}

  /**
   * {@code input.n > 3} as {@code ${input.n > 3}}; a text that starts with {@code ${} or {@code #{}
   * as is (as the run engine evaluates conditions and items).
   */
  static String normalise(String text) {
    String t = text.trim();
    if (t.startsWith("${") || t.startsWith("#{")) {
      return t;
    }
    return "${" + t + "}";
  }

  /** Whether a string of an input template holds an expression to evaluate. */
  static boolean isTemplate(String text) {
    return text != null && text.contains("${");
  }

  /**
   * Parses {@code expression} (already {@linkplain #normalise normalised}) without evaluating it.
   *
   * @return why it does not parse, or empty when it does
   */
  static Optional<String> syntaxError(String expression) {
    ExpressionFactory factory = Factory.INSTANCE;
    try {
      factory.createValueExpression(new StandardELContext(factory), expression, Object.class);
      return Optional.empty();
    } catch (ELException | IllegalArgumentException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      message = message.strip().replaceAll("\\s+", " ");
      if (message.length() > MAX_MESSAGE) {
        message = message.substring(0, MAX_MESSAGE) + "...";
      }
      return Optional.of(message);
    }
  }

  /**
   * The step names an expression reads results of ({@code results.list.docs} reads {@code list}).
   */
  static Set<String> resultsRead(String expression) {
    Set<String> steps = new LinkedHashSet<>();
    Matcher m = RESULT_REF.matcher(expression);
    while (m.find()) {
      steps.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return steps;
  }

  /**
   * Created on first use: parsing needs an EL implementation (WildFly's, or Expressly in tests).
   */
  private static final class Factory {
    static final ExpressionFactory INSTANCE = ExpressionFactory.newInstance();
  }
}
