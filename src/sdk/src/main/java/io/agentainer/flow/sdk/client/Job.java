package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One task on one agent, as {@code GET /api/jobs/{id}} shows it. A job started by hand ({@code POST
 * /api/jobs}) has no {@code workflowId}, {@code stepId} or {@code taskId}; values the server leaves
 * out are {@code null}.
 *
 * <p>Statuses go {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}; a retry puts a failed
 * attempt back to {@code QUEUED} with the next {@code attempt} number.
 *
 * @param input the job's input as the server stores it (any JSON)
 * @param output the agent's output, once {@code SUCCEEDED}
 * @param error why it failed, once {@code FAILED} (or {@code CANCELLED}, when the server says why)
 * @param executionMode {@code cold} (an agent started for the job) or {@code pooled} (an agent
 *     leased from a pool)
 * @param agentAcquireMs how long getting an agent took (a cold start, or a pool lease)
 * @param poolId the pool the agent was leased from, for a {@code pooled} job
 * @param coldStart whether an agent was started for the job: always for {@code cold}, for {@code
 *     pooled} only when no warm agent served it; {@code null} until it got an agent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Job(
    String id,
    String workflowId,
    String stepId,
    Integer taskId,
    String parentJobId,
    String status,
    int attempt,
    Integer maxAttempts,
    String executionMode,
    String runtime,
    String image,
    String handler,
    JsonNode input,
    JsonNode output,
    JobError error,
    String agentId,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Long agentAcquireMs,
    String poolId,
    Boolean coldStart) {

  public static final String QUEUED = "QUEUED";
  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String CANCELLED = "CANCELLED";

  /** Every job status, in lifecycle order. */
  public static final List<String> STATUSES =
      List.of(QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED);

  /** The statuses a job never leaves. */
  public static final Set<String> FINAL_STATUSES = Set.of(SUCCEEDED, FAILED, CANCELLED);

  /** Whether the job reached a status it will not leave. */
  @JsonIgnore
  public boolean finished() {
    return FINAL_STATUSES.contains(status);
  }

  /** Whether the job finished with an output. */
  @JsonIgnore
  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }
}
