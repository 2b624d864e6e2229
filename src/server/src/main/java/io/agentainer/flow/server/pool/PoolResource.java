package io.agentainer.flow.server.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.api.PageRequest;
import io.agentainer.flow.server.definition.PoolSpec;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/pools}: list pools with their figures, show one with its agents, resize and retune,
 * warm, drain. A pool is named by its id or its name.
 */
@Path("pools")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class PoolResource {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject PoolRegistry registry;
  @Inject PoolManager manager;

  @GET
  public Page<PoolView> list(@BeanParam PageRequest page) {
    page.validate();
    List<PoolView> items = new ArrayList<>();
    for (Pool pool : registry.list(page.offset(), page.size())) {
      items.add(view(pool, false));
    }
    return new Page<>(items, registry.count(), page.page(), page.size());
  }

  @GET
  @Path("{id}")
  public PoolView get(@PathParam("id") String id) {
    return view(find(id), true);
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public PoolView update(@PathParam("id") String id, PoolChange change) {
    Pool pool = find(id);
    if (change == null) {
      throw ApiException.badRequest("body", "a JSON object such as {\"maxSize\": 5} is required");
    }
    PoolPolicy next = changed(pool.policy(), change);
    Pool updated = registry.update(pool.id(), next);
    manager.configure(updated);
    return view(updated, true);
  }

  @POST
  @Path("{id}/warm")
  public Response warm(@PathParam("id") String id, JsonNode body) {
    Pool pool = find(id);
    int target = pool.policy().warmTarget();
    JsonNode size = body == null ? null : body.get("size");
    if (body != null && !body.isNull() && !body.isObject()) {
      throw ApiException.badRequest("body", "a JSON object such as {\"size\": 5}, or none");
    }
    if (size != null && !size.isNull()) {
      if (!size.isIntegralNumber() || !size.canConvertToInt() || size.intValue() < 0) {
        throw ApiException.badRequest("size", "must be a whole number of at least 0, got " + size);
      }
      if (size.intValue() > pool.policy().maxSize()) {
        throw ApiException.badRequest(
            "size",
            "must not exceed the pool's maxSize (" + pool.policy().maxSize() + "), got " + size);
      }
      target = size.intValue();
    }
    int starting = manager.warm(pool.id(), target);
    ObjectNode answer =
        JSON.createObjectNode().put("pool", pool.id().toString()).put("target", target);
    answer.put("starting", starting);
    return Response.accepted(answer).build();
  }

  @POST
  @Path("{id}/drain")
  public Response drain(@PathParam("id") String id) {
    Pool pool = find(id);
    AgentPool.Drained drained = manager.drain(pool.id());
    ObjectNode answer = JSON.createObjectNode().put("pool", pool.id().toString());
    answer.put("stopping", drained.stopping());
    answer.put("retiring", drained.retiring());
    return Response.accepted(answer).build();
  }

  private Pool find(String id) {
    return registry.find(id).orElseThrow(() -> ApiException.notFound("pool", id));
  }

  private PoolView view(Pool pool, boolean withAgents) {
    return PoolView.of(
        pool,
        manager.stats(pool.id()),
        registry.terminations(pool.id()),
        manager.nextWarm(pool).orElse(null),
        withAgents);
  }

  /** {@code policy} with {@code change} applied; a bad field is a 400 naming it. */
  static PoolPolicy changed(PoolPolicy policy, PoolChange change) {
    ObjectNode written = JSON.createObjectNode();
    written.put("minSize", change.minSize() != null ? change.minSize() : policy.minSize());
    written.put("maxSize", change.maxSize() != null ? change.maxSize() : policy.maxSize());
    written.put(
        "idleTimeout",
        change.idleTimeout() != null ? change.idleTimeout() : policy.idleTimeout().toString());
    Integer maxUses = change.maxUses() != null ? change.maxUses() : policy.maxUses();
    if (maxUses != null) {
      written.put("maxUses", maxUses);
    }
    written.put(
        "leaseTimeout",
        change.leaseTimeout() != null ? change.leaseTimeout() : policy.leaseTimeout().toString());
    String schedule = change.warmSchedule() != null ? change.warmSchedule() : policy.warmSchedule();
    if (schedule != null && !schedule.isBlank()) {
      written.put("warmSchedule", schedule);
    }
    Integer warmSize = change.warmSize() != null ? change.warmSize() : policy.warmSize();
    if (warmSize != null) {
      written.put("warmSize", Math.min(warmSize, written.get("maxSize").asInt()));
      if (change.warmSize() != null) {
        written.put("warmSize", warmSize);
      }
    }
    List<String[]> problems = new ArrayList<>();
    PoolSpec spec =
        PoolSpec.read(written, "pool", (path, m) -> problems.add(new String[] {path, m}));
    if (!problems.isEmpty()) {
      String field = problems.get(0)[0].substring("pool.".length());
      throw ApiException.badRequest(field, problems.get(0)[1]);
    }
    return new PoolPolicy(
        spec.minSize(),
        spec.maxSize(),
        spec.idleTimeout(),
        spec.maxUses(),
        policy.warmUp(),
        spec.leaseTimeout(),
        spec.warmSchedule(),
        spec.warmSize());
  }
}
