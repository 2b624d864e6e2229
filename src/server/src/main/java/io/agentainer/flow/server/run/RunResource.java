package io.agentainer.flow.server.run;

import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.api.PageRequest;
import io.agentainer.flow.server.api.StatusParameter;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs: list them ({@code GET /api/workflows}), read one with its steps, progress and ETA ({@code
 * GET /api/workflows/{id}}), cancel, retry from failed steps.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class RunResource {

  @Inject RunService runs;
  @Inject RunStatistics statistics;
  @Context SecurityContext security;

  @GET
  @Path("workflows")
  public Page<RunView> list(
      @QueryParam("definition") String definition,
      @QueryParam("status") List<String> status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @BeanParam PageRequest page) {
    admin();
    page.validate();
    Set<RunStatus> statuses = statuses(status);
    Instant since = instant("from", from);
    Instant until = instant("to", to);
    if (since != null && until != null && !since.isBefore(until)) {
      throw ApiException.badRequest("to", "must be after from (" + from + "), got " + to);
    }
    return new Page<>(
        runs.list(definition, statuses, since, until, page.offset(), page.size()).stream()
            .map(r -> RunView.summary(r.run(), r.definition(), r.version()))
            .toList(),
        runs.count(definition, statuses, since, until),
        page.page(),
        page.size());
  }

  /**
   * {@code GET /api/workflows/stats?from=&to=&buckets=}: runs started and finished per time bucket,
   * run counts and average duration by definition, and the latest failures, over {@code [from, to)}
   * (the last 24 hours by default, in 24 buckets).
   */
  @GET
  @Path("workflows/stats")
  public RunStatistics.Stats stats(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("buckets") String buckets) {
    admin();
    Instant until = instant("to", to);
    until = until == null ? Instant.now() : until;
    Instant since = instant("from", from);
    since = since == null ? until.minus(java.time.Duration.ofHours(24)) : since;
    if (!since.isBefore(until)) {
      throw ApiException.badRequest("to", "must be after from (" + since + "), got " + until);
    }
    int count;
    try {
      count = buckets == null ? 24 : Integer.parseInt(buckets.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("buckets", "not a whole number: '" + buckets + "'");
    }
    if (count < 1 || count > RunStatistics.MAX_BUCKETS) {
      throw ApiException.badRequest(
          "buckets", "must be between 1 and " + RunStatistics.MAX_BUCKETS + ", got " + count);
    }
    return statistics.stats(since, until, count);
  }

  /** An instant in ISO-8601 ({@code 2026-11-28T10:00:00Z}), or null when absent. */
  static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badRequest(
          field, "not an instant like 2026-11-28T10:00:00Z: '" + value + "'");
    }
  }

  @GET
  @Path("workflows/{id}")
  public RunView get(@PathParam("id") String id) {
    UUID runId = visible(id);
    WorkflowRun run = runs.get(runId);
    return RunView.detail(
        run,
        runs.definitionOf(run),
        runs.steps(runId),
        runs.progress(runId),
        runs.queuePosition(runId));
  }

  @POST
  @Path("workflows/{id}/cancel")
  public Response cancel(@PathParam("id") String id) {
    admin();
    WorkflowRun run =
        runs.cancel(uuid(id), "cancelled by " + security.getUserPrincipal().getName());
    return Response.accepted(Map.of("id", run.id(), "status", run.status().name())).build();
  }

  @POST
  @Path("workflows/{id}/retry")
  public Response retry(@PathParam("id") String id) {
    admin();
    WorkflowRun run = runs.retry(uuid(id));
    return Response.accepted(Map.of("id", run.id(), "status", run.status().name())).build();
  }

  private UUID visible(String id) {
    UUID runId = uuid(id);
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.mayAccessRun(runId)) {
      throw ApiException.notFound("workflow", id);
    }
    return runId;
  }

  void admin() {
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.admin()) {
      throw new ApiException(
          403, "forbidden", "Authorization: an agent's token reaches only its own run", Map.of());
    }
  }

  static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("id", "not a workflow id (a UUID): '" + id + "'");
    }
  }

  static Set<RunStatus> statuses(List<String> values) {
    return StatusParameter.parse(RunStatus.class, values);
  }
}
