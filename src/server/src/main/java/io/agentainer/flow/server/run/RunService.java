package io.agentainer.flow.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.definition.InputValidator;
import io.agentainer.flow.server.definition.WorkflowSpec;
import io.agentainer.flow.server.event.EventLog;
import io.agentainer.flow.server.job.Job;
import io.agentainer.flow.server.job.JobRepository;
import io.agentainer.flow.server.job.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Runs as clients see them: start one, read it, list them, cancel, retry from failed steps. */
@ApplicationScoped
public class RunService {

  @Inject RunRepository runs;
  @Inject JobRepository jobs;
  @Inject SpecSource specs;
  @Inject RunEngine engine;
  @Inject EventLog events;
  @Inject Clock clock;

  /** A run just started (or found again by its idempotency key). */
  public record Started(WorkflowRun run, boolean created, long queuePosition) {}

  /**
   * Starts a run of the latest version of {@code definition} with {@code input}, validated against
   * the definition's {@code parameters}.
   */
  @Transactional
  public Started start(String definition, JsonNode input, String idempotencyKey, String trigger) {
    SpecSource.Version version =
        specs
            .find(definition, null)
            .orElseThrow(() -> ApiException.notFound("definition", definition));
    WorkflowSpec spec = specs.spec(version.id());
    if (idempotencyKey != null) {
      if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
        throw ApiException.badRequest("idempotencyKey", "1 to 200 characters");
      }
      runs.lockIdempotencyKey(version.id(), idempotencyKey);
      var existing = runs.findByIdempotencyKey(version.id(), idempotencyKey);
      if (existing.isPresent()) {
        return new Started(existing.get(), false, runs.queuePosition(existing.get().id()));
      }
    }
    if (spec.parameters() != null) {
      var problems = InputValidator.validate(spec.parameters(), input);
      if (!problems.isEmpty()) {
        var first = problems.get(0);
        throw new ApiException(
            400,
            "invalid_input",
            first.path() + ": " + first.message(),
            Map.of("field", first.path(), "problems", problems));
      }
    }
    WorkflowRun run =
        WorkflowRun.start(
            version.id(),
            input == null || input.isNull() ? "{}" : input.toString(),
            idempotencyKey,
            trigger,
            spec.maxParallel(),
            spec.timeout(),
            clock);
    runs.add(run);
    engine.begin(run, spec);
    return new Started(run, true, runs.queuePosition(run.id()));
  }

  @Transactional
  public WorkflowRun get(UUID id) {
    return runs.find(id).orElseThrow(() -> ApiException.notFound("workflow", id));
  }

  /** A run's steps in the order of its definition. */
  @Transactional
  public List<StepRun> steps(UUID id) {
    WorkflowRun run = get(id);
    List<String> order =
        specs.spec(run.definitionId()).steps().stream().map(s -> s.name()).toList();
    return runs.steps(id).stream()
        .sorted(java.util.Comparator.comparingInt(s -> order.indexOf(s.name())))
        .toList();
  }

  @Transactional
  public SpecSource.Version definitionOf(WorkflowRun run) {
    return specs.version(run.definitionId());
  }

  @Transactional
  public List<RunRepository.RunRow> list(
      String definition,
      Collection<RunStatus> statuses,
      Instant from,
      Instant to,
      int offset,
      int limit) {
    return runs.list(definition, statuses, from, to, offset, limit);
  }

  @Transactional
  public long count(String definition, Collection<RunStatus> statuses, Instant from, Instant to) {
    return runs.count(definition, statuses, from, to);
  }

  @Transactional
  public long queuePosition(UUID id) {
    return runs.queuePosition(id);
  }

  /** Cancels a run: its open steps and jobs are cancelled, their agents removed. */
  @Transactional
  public WorkflowRun cancel(UUID id, String reason) {
    WorkflowRun run = runs.lock(id).orElseThrow(() -> ApiException.notFound("workflow", id));
    if (run.status().isFinal()) {
      throw ApiException.conflict("workflow " + id + " has already ended: " + run.status());
    }
    closeSteps(run, reason, false);
    run.cancel(RunEngine.error("cancelled", reason), clock);
    engine.ended(run);
    cancelChildren(run, reason);
    return run;
  }

  private void cancelChildren(WorkflowRun run, String reason) {
    for (StepRun step : runs.steps(run.id())) {
      if (step.childRunId() != null) {
        runs.find(step.childRunId())
            .filter(child -> !child.status().isFinal())
            .ifPresent(child -> cancel(child.id(), reason));
      }
    }
  }

  /** Ends a run that passed its deadline. */
  @Transactional
  public void timeOut(UUID id) {
    WorkflowRun run = runs.lock(id).orElse(null);
    if (run == null || run.status().isFinal()) {
      return;
    }
    String reason = "the run passed its timeout";
    closeSteps(run, reason, true);
    run.timeOut(RunEngine.error("timeout", reason), clock);
    engine.ended(run);
    cancelChildren(run, reason);
  }

  /** Ends a step that passed its deadline; the run goes on (or fails) from there. */
  @Transactional
  public void timeOutStep(UUID runId, String stepName) {
    WorkflowRun run = runs.lock(runId).orElse(null);
    if (run == null || run.status() != RunStatus.RUNNING) {
      return;
    }
    StepRun step = RunEngine.byName(runs.steps(runId)).get(stepName);
    if (step == null || step.status() != StepStatus.RUNNING) {
      return;
    }
    step.timeOut(RunEngine.error("timeout", "step " + stepName + " passed its timeout"), clock);
    events.record(runId, stepName, null, "step.timed_out", Map.of());
    engine.cancelOpenJobs(runId, stepName, "the step passed its timeout");
    engine.advance(run, specs.spec(run.definitionId()));
  }

  private void closeSteps(WorkflowRun run, String reason, boolean timedOut) {
    for (StepRun step : runs.steps(run.id())) {
      if (step.status().isFinal()) {
        continue;
      }
      if (timedOut && step.status() == StepStatus.RUNNING) {
        step.timeOut(RunEngine.error("timeout", reason), clock);
      } else {
        step.cancel(RunEngine.error("cancelled", reason), clock);
      }
      events.record(
          run.id(), step.name(), null, timedOut ? "step.timed_out" : "step.cancelled", Map.of());
    }
    engine.cancelOpenJobs(run.id(), null, reason);
  }

  /** Runs a failed, cancelled or timed-out run again from the steps that did not succeed. */
  @Transactional
  public WorkflowRun retry(UUID id) {
    WorkflowRun run = runs.lock(id).orElseThrow(() -> ApiException.notFound("workflow", id));
    if (!run.status().isFinal() || run.status() == RunStatus.SUCCEEDED) {
      throw ApiException.conflict(
          "only a failed, cancelled or timed-out workflow can be retried; this one is "
              + run.status());
    }
    WorkflowSpec spec = specs.spec(run.definitionId());
    run.retry(spec.timeout(), clock);
    for (StepRun step : runs.steps(id)) {
      if (step.status() != StepStatus.SUCCEEDED
          && step.status() != StepStatus.SKIPPED
          && step.status().isFinal()) {
        step.reset();
      }
    }
    events.record(id, null, null, "run.retried", Map.of());
    engine.advance(run, spec);
    return run;
  }

  /** Finished task durations of a run, to estimate what is left. */
  @Transactional
  public Progress progress(UUID id) {
    List<StepRun> steps = runs.steps(id);
    List<Job> all = jobs.listOfWorkflow(id, Set.of(), 0, Integer.MAX_VALUE);
    long finished =
        all.stream()
            .filter(j -> j.status().isFinal() && j.startedAt() != null && j.finishedAt() != null)
            .count();
    double avgMillis =
        all.stream()
            .filter(
                j ->
                    j.status() == JobStatus.SUCCEEDED
                        && j.startedAt() != null
                        && j.finishedAt() != null)
            .mapToLong(j -> Duration.between(j.startedAt(), j.finishedAt()).toMillis())
            .average()
            .orElse(Double.NaN);
    long open = all.stream().filter(j -> !j.status().isFinal()).count();
    long running = all.stream().filter(j -> j.status() == JobStatus.RUNNING).count();
    long pendingSteps = steps.stream().filter(s -> s.status() == StepStatus.PENDING).count();
    double done = 0;
    for (StepRun s : steps) {
      if (s.status().isFinal()) {
        done += 1;
      } else if (s.status() == StepStatus.RUNNING && s.total() > 0) {
        done += (double) (s.succeeded() + s.failed()) / s.total();
      }
    }
    double progress = steps.isEmpty() ? 1 : done / steps.size();
    Instant eta = null;
    if (!Double.isNaN(avgMillis) && (open > 0 || pendingSteps > 0)) {
      long remaining = open + pendingSteps;
      double lanes = Math.max(1, running);
      eta = clock.instant().plusMillis(Math.round(avgMillis * remaining / lanes));
    }
    return new Progress(progress, eta, finished);
  }

  /** How far a run is: the share of its steps done (running fan-outs count by their tasks). */
  public record Progress(double progress, Instant eta, long finishedJobs) {}

  /** Runs past their deadline now. */
  @Transactional
  public List<UUID> runsPastDeadline() {
    return runs.runsPastDeadline(clock.instant(), 100);
  }

  /** Steps past their deadline now, as (run, step name). */
  @Transactional
  public List<Map.Entry<UUID, String>> stepsPastDeadline() {
    return runs.stepsPastDeadline(clock.instant(), 100).stream()
        .map(s -> Map.entry(s.runId(), s.name()))
        .toList();
  }
}
