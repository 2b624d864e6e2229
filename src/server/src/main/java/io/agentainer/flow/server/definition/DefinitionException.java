package io.agentainer.flow.server.definition;

import io.agentainer.flow.server.api.ApiException;
import java.util.List;
import java.util.Map;

/**
 * A definition that cannot be used, with every problem found. The API answers it as {@code 400
 * {error: {code: "invalid_definition", message: <the first problem>, details: {problems: [{path,
 * message}]}}}}.
 */
public class DefinitionException extends ApiException {

  public static final String CODE = "invalid_definition";

  private final List<Problem> problems;

  /**
   * @param problems at least one
   */
  public DefinitionException(List<Problem> problems) {
    super(400, CODE, first(problems), Map.of("problems", List.copyOf(problems)));
    this.problems = List.copyOf(problems);
  }

  public DefinitionException(String path, String message) {
    this(List.of(new Problem(path, message)));
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String first(List<Problem> problems) {
    if (problems == null || problems.isEmpty()) {
      throw new IllegalArgumentException("problems: at least one is required");
    }
    return problems.get(0).toString();
  }
}
