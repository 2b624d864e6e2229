package io.agentainer.flow.sdk.workflow;

/**
 * A workflow class whose structure is wrong, found when it is compiled into a definition. The
 * message names the class and method at fault and what is wrong, e.g. {@code Etl.aggregate(): a
 * reduce step needs a parallel or map step among its dependencies}.
 */
public class WorkflowDefinitionException extends IllegalArgumentException {

  public WorkflowDefinitionException(String message) {
    super(message);
  }
}
