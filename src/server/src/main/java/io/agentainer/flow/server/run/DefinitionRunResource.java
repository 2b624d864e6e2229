package io.agentainer.flow.server.run;

import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/definitions/{name}/runs {input, idempotencyKey?}}: starts a run of the latest
 * version, answering {@code 202 {id, status, queuePosition}} (or 200 with the run an idempotency
 * key already started).
 */
@Path("definitions/{name}/runs")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class DefinitionRunResource {

  @Inject RunService runs;
  @Context SecurityContext security;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(@PathParam("name") String name, StartRunRequest request) {
    admin();
    StartRunRequest body = request == null ? new StartRunRequest(null, null) : request;
    RunService.Started started = runs.start(name, body.input(), body.idempotencyKey(), "api");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", started.run().id());
    answer.put("status", started.run().status().name());
    answer.put("queuePosition", started.queuePosition());
    answer.put("created", started.created());
    return Response.status(started.created() ? 202 : 200)
        .entity(answer)
        .location(
            uri.getBaseUriBuilder().path("workflows").path(started.run().id().toString()).build())
        .build();
  }

  private void admin() {
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.admin()) {
      throw new ApiException(
          403, "forbidden", "Authorization: an agent's token cannot start runs", Map.of());
    }
  }
}
