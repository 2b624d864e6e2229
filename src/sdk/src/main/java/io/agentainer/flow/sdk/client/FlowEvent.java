package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;

/**
 * Something that happened to a run, from its event log: {@code run.started}, {@code step.progress},
 * {@code job.failed}, {@code run.succeeded}... Ids grow with time within a server, so the last id
 * seen is where to resume.
 *
 * @param stepId the step's name, for step and job events
 * @param jobId the job, for job events
 * @param payload what the event carries (e.g. {@code {"tasks": 20}}); {@code null} for nothing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FlowEvent(
    long id,
    String type,
    String workflowId,
    String stepId,
    String jobId,
    JsonNode payload,
    Instant at) {

  /** The types of the event that ends a run (until it is retried). */
  public static final Set<String> RUN_ENDED =
      Set.of("run.succeeded", "run.failed", "run.cancelled", "run.timed_out");

  /** Whether this event ends its run: {@code run.succeeded|failed|cancelled|timed_out}. */
  @JsonIgnore
  public boolean endsRun() {
    return RUN_ENDED.contains(type);
  }
}
