package io.agentainer.flow.server.job;

import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.api.PageRequest;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code GET /api/workflows/{id}/jobs}: a run's jobs by step, then task, then attempt. */
@Path("workflows/{id}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class WorkflowJobResource {

  @Inject JobService jobs;
  @Inject RunLookup runs;
  @Context SecurityContext security;

  @GET
  public Page<JobView> list(
      @PathParam("id") String id,
      @QueryParam("status") List<String> status,
      @BeanParam PageRequest page) {
    UUID workflowId;
    try {
      workflowId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("id", "not a workflow id (a UUID): '" + id + "'");
    }
    page.validate();
    Set<JobStatus> statuses = JobResource.statuses(status);
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.mayAccessRun(workflowId)) {
      throw ApiException.notFound("workflow", id);
    }
    if (!runs.exists(workflowId)) {
      throw ApiException.notFound("workflow", id);
    }
    return new Page<>(
        jobs.listOfWorkflow(workflowId, statuses, page.offset(), page.size()).stream()
            .map(JobView::of)
            .toList(),
        jobs.count(workflowId, statuses),
        page.page(),
        page.size());
  }
}
