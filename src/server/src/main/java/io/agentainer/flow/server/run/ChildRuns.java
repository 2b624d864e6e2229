package io.agentainer.flow.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.definition.WorkflowRef;
import io.agentainer.flow.server.definition.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;

/** Workflow steps: a child run per step, whose end decides the step. */
@ApplicationScoped
public class ChildRuns {

  @Inject RunRepository runs;
  @Inject SpecSource specs;
  @Inject RunEngine engine;
  @Inject io.agentainer.flow.server.event.EventLog events;
  @Inject Clock clock;

  /** Starts the child run of a workflow step, in the caller's transaction. */
  WorkflowRun startChild(
      WorkflowRef ref, JsonNode input, java.util.UUID parentRunId, String stepName) {
    SpecSource.Version version =
        specs
            .find(ref.name(), ref.version())
            .orElseThrow(
                () ->
                    new Expressions.ExpressionException(
                        "workflow.name",
                        "no definition "
                            + ref.name()
                            + (ref.version() == null ? "" : " version " + ref.version())));
    WorkflowSpec spec = specs.spec(version.id());
    WorkflowRun child =
        WorkflowRun.start(
            version.id(),
            input == null ? null : input.toString(),
            null,
            "workflow",
            spec.maxParallel(),
            spec.timeout(),
            clock);
    child.childOf(parentRunId, stepName);
    runs.add(child);
    engine.begin(child, spec);
    return child;
  }

  /** A child run ended: its parent's step ends the same way, and the parent goes on. */
  void childEnded(WorkflowRun child) {
    WorkflowRun parent = runs.lock(child.parentRunId()).orElse(null);
    if (parent == null || parent.status() != RunStatus.RUNNING) {
      return;
    }
    StepRun step = RunEngine.byName(runs.steps(parent.id())).get(child.parentStepName());
    if (step == null
        || step.status() != StepStatus.RUNNING
        || !child.id().equals(step.childRunId())) {
      return;
    }
    boolean success = child.status() == RunStatus.SUCCEEDED;
    step.taskEnded(success);
    if (success) {
      step.succeed(child.output(), clock);
      events.record(
          parent.id(),
          step.name(),
          null,
          "step.succeeded",
          Map.of("childRun", child.id().toString()));
    } else {
      step.fail(
          RunEngine.error(
              "child_" + child.status().name().toLowerCase(java.util.Locale.ROOT),
              "child run "
                  + child.id()
                  + " "
                  + child.status().name().toLowerCase(java.util.Locale.ROOT)),
          clock);
      events.record(
          parent.id(), step.name(), null, "step.failed", Map.of("childRun", child.id().toString()));
    }
    engine.advance(parent, specs.spec(parent.definitionId()));
  }
}
