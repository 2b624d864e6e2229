package io.agentainer.flow.server.health;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/health}, open without a token: 200 while the database is up (status {@code UP} or
 * {@code DEGRADED}), 503 when it is down.
 */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class HealthResource {

  @Inject HealthService health;

  @GET
  public Response health() {
    HealthReport report = health.check();
    return Response.status(report.isDown() ? 503 : 200).entity(report).build();
  }
}
