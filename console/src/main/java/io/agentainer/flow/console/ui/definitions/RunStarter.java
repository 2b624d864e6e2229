package io.agentainer.flow.console.ui.definitions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextArea;
import io.agentainer.flow.console.api.ConsoleSession;
import io.agentainer.flow.sdk.client.Definition;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Problem;
import io.agentainer.flow.sdk.client.RunRef;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The input of a new run of one definition: a form of its parameters when it declares them, else
 * its input as JSON; starting checks the input here first, and shows what the server refuses on the
 * field it names. Used by the Definitions page and the Workflows page's start dialog.
 */
public class RunStarter extends Div {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleSession session;
  private final Div parameters = new Div();
  private final TextArea input = new TextArea("Run input (JSON)");
  private ParametersForm form = new ParametersForm(null);
  private String definition;

  public RunStarter(ConsoleSession session) {
    this.session = session;
    addClassName("flow-run-starter");
    parameters.setId("parameters");
    parameters.setVisible(false);
    input.setId("run-input");
    input.setValue("{}");
    input.setWidthFull();
    add(parameters, input);
  }

  /**
   * Shows the input of {@code version} of definition {@code name}.
   *
   * @throws FlowClientException when the definition cannot be read
   */
  public void show(String name, int version) {
    definition = name;
    parameters.removeAll();
    try {
      Definition chosen = session.definition(name, version);
      form = new ParametersForm(chosen.spec() == null ? null : chosen.spec().get("parameters"));
    } catch (FlowClientException e) {
      form = new ParametersForm(null);
      throw e;
    } finally {
      parameters.add(form);
      parameters.setVisible(form.hasFields());
      input.setVisible(!form.hasFields());
      input.setInvalid(false);
    }
  }

  /** The definition whose input this is; null before {@link #show}. */
  public String definition() {
    return definition;
  }

  /**
   * Starts a run with the input filled in.
   *
   * @return the run, or empty when the input is wrong (shown on its field) or the server refused it
   */
  public Optional<RunRef> start() {
    if (definition == null) {
      return Optional.empty();
    }
    JsonNode value;
    if (form.hasFields()) {
      var filled = form.value();
      if (filled.isEmpty()) {
        return Optional.empty(); // the problems are shown on the fields
      }
      value = filled.get();
    } else {
      try {
        value = JSON.readTree(input.getValue().isBlank() ? "{}" : input.getValue());
        input.setInvalid(false);
      } catch (JsonProcessingException e) {
        input.setInvalid(true);
        input.setErrorMessage("input: not JSON (" + e.getOriginalMessage() + ")");
        return Optional.empty();
      }
    }
    try {
      return Optional.of(session.start(definition, value));
    } catch (FlowClientException e) {
      boolean shown = false;
      for (Problem problem : e.problems()) {
        shown |= form.showProblem(problem.path(), problem.message());
      }
      if (!shown) {
        input.setVisible(true);
        input.setInvalid(true);
        input.setErrorMessage(
            e.problems().isEmpty()
                ? e.getMessage()
                : e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
      }
      return Optional.empty();
    }
  }
}
