package io.agentainer.flow.server.run;

import static io.agentainer.flow.server.common.JsonText.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A run as the API shows it ({@code GET /api/workflows/{id}}, rows of {@code /api/workflows}). */
public record RunView(
    UUID id,
    String definition,
    int version,
    String status,
    JsonNode input,
    JsonNode output,
    JsonNode error,
    Double progress,
    Instant eta,
    Long queuePosition,
    UUID parentRunId,
    String parentStep,
    String trigger,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    List<StepView> steps) {

  /** A step with its counters. */
  public record StepView(
      String name,
      String kind,
      String status,
      int total,
      int succeeded,
      int failed,
      int running,
      int attempt,
      UUID childRunId,
      JsonNode output,
      JsonNode error,
      Instant startedAt,
      Instant finishedAt) {

    static StepView of(StepRun s, boolean withOutput) {
      return new StepView(
          s.name(),
          s.kind(),
          s.status().name(),
          s.total(),
          s.succeeded(),
          s.failed(),
          s.running(),
          s.attempt(),
          s.childRunId(),
          withOutput ? tree(s.output()) : null,
          tree(s.error()),
          s.startedAt(),
          s.finishedAt());
    }
  }

  static RunView summary(WorkflowRun run, String definition, int version) {
    return new RunView(
        run.id(),
        definition,
        version,
        run.status().name(),
        null,
        null,
        tree(run.error()),
        null,
        null,
        null,
        run.parentRunId(),
        run.parentStepName(),
        run.triggerKind(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        null);
  }

  static RunView detail(
      WorkflowRun run,
      SpecSource.Version version,
      List<StepRun> steps,
      RunService.Progress progress,
      long queuePosition) {
    return new RunView(
        run.id(),
        version.name(),
        version.version(),
        run.status().name(),
        tree(run.input()),
        tree(run.output()),
        tree(run.error()),
        progress.progress(),
        progress.eta(),
        queuePosition,
        run.parentRunId(),
        run.parentStepName(),
        run.triggerKind(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        steps.stream().map(s -> StepView.of(s, true)).toList());
  }
}
