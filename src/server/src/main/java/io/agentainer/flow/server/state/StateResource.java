package io.agentainer.flow.server.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.PageRequest;
import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A run's state ({@code /api/workflows/{id}/state}, src/sdk/STATE.md): read, change with atomic
 * operations, history, the state at an instant, export. A job's token reaches its own run only.
 */
@Path("workflows/{id}/state")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class StateResource {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  @Inject StateStore store;
  @Inject StateRuns runs;
  @Inject FlowSettings settings;
  @Context SecurityContext security;

  @GET
  public Map<String, JsonNode> snapshot(@PathParam("id") String id, @QueryParam("at") String at) {
    UUID run = run(id);
    return at == null ? store.snapshot(run) : store.at(run, null, instant("at", at));
  }

  @GET
  @Path("stats")
  public StateStore.Stats stats(@PathParam("id") String id) {
    return store.stats(run(id));
  }

  @GET
  @Path("history")
  public io.agentainer.flow.server.api.Page<Map<String, Object>> history(
      @PathParam("id") String id,
      @QueryParam("key") String key,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @BeanParam PageRequest page) {
    UUID run = run(id);
    page.validate();
    var changes =
        store.history(
            run,
            key == null || key.isEmpty() ? null : key,
            from == null ? null : instant("from", from),
            to == null ? null : instant("to", to),
            page.page(),
            page.size());
    return new io.agentainer.flow.server.api.Page<>(
        changes.items().stream().map(StateStore::view).toList(),
        changes.total(),
        changes.page(),
        changes.size());
  }

  @GET
  @Path("export")
  public Response export(@PathParam("id") String id) {
    UUID run = run(id);
    StreamingOutput body = out -> store.export(run, out);
    return Response.ok(body, MediaType.APPLICATION_JSON)
        .header("Content-Disposition", "attachment; filename=\"state-" + run + ".json\"")
        .build();
  }

  @GET
  @Path("{key}")
  public Response get(
      @PathParam("id") String id, @PathParam("key") String key, @QueryParam("at") String at) {
    UUID run = run(id);
    if (at != null) {
      JsonNode value = store.at(run, key, instant("at", at)).get(key);
      if (value == null) {
        throw absent(key, run);
      }
      return Response.ok(entry(key, value)).build();
    }
    Optional<StateBlobs.Blob> large = store.largeValue(run, key);
    if (large.isPresent()) {
      StreamingOutput body = out -> writeLarge(out, key, large.get());
      return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }
    JsonNode value = store.get(run, key).orElseThrow(() -> absent(key, run));
    return Response.ok(entry(key, value)).build();
  }

  @PUT
  @Path("{key}")
  public Map<String, Object> put(
      @PathParam("id") String id,
      @PathParam("key") String key,
      @HeaderParam(IDEMPOTENCY_KEY) String opId,
      InputStream body) {
    UUID run = run(id);
    StateStore.checkKey(key);
    StateInput.Value value = StateInput.read(body, settings.stateInlineLimit());
    JsonNode stored = store.put(run, key, value, actor(opId));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("key", key);
    if (value.isLarge()) {
      answer.put("size", value.size());
    } else {
      answer.put("value", stored);
    }
    return answer;
  }

  @DELETE
  @Path("{key}")
  public Map<String, Object> delete(
      @PathParam("id") String id,
      @PathParam("key") String key,
      @HeaderParam(IDEMPOTENCY_KEY) String opId) {
    UUID run = run(id);
    return Map.of("deleted", store.delete(run, key, actor(opId)));
  }

  @POST
  @Path("{key}/increment")
  public Map<String, Object> increment(
      @PathParam("id") String id,
      @PathParam("key") String key,
      @HeaderParam(IDEMPOTENCY_KEY) String opId,
      String body) {
    UUID run = run(id);
    StateStore.checkKey(key);
    JsonNode by = object(body, "by").get("by");
    if (by == null || by.isNull()) {
      throw ApiException.badRequest("by", "required (a number)");
    }
    if (!by.isNumber()) {
      throw ApiException.badRequest(
          "by", "must be a number, got " + StateValues.describe(StateValues.type(by)));
    }
    BigDecimal delta = by.decimalValue();
    return Map.of("value", store.increment(run, key, delta, actor(opId)));
  }

  @POST
  @Path("{key}/append")
  public Map<String, Object> append(
      @PathParam("id") String id,
      @PathParam("key") String key,
      @HeaderParam(IDEMPOTENCY_KEY) String opId,
      String body) {
    UUID run = run(id);
    StateStore.checkKey(key);
    store.append(run, key, value(object(body, "value"), "value"), actor(opId));
    return Map.of("appended", true);
  }

  @POST
  @Path("{key}/add-to-set")
  public Map<String, Object> addToSet(
      @PathParam("id") String id,
      @PathParam("key") String key,
      @HeaderParam(IDEMPOTENCY_KEY) String opId,
      String body) {
    UUID run = run(id);
    StateStore.checkKey(key);
    JsonNode element = value(object(body, "value"), "value");
    return Map.of("added", store.addToSet(run, key, element, actor(opId)));
  }

  @POST
  @Path("{key}/compare-and-swap")
  public Map<String, Object> compareAndSwap(
      @PathParam("id") String id,
      @PathParam("key") String key,
      @HeaderParam(IDEMPOTENCY_KEY) String opId,
      String body) {
    UUID run = run(id);
    StateStore.checkKey(key);
    JsonNode request = object(body, "expected", "value");
    if (!request.has("expected")) {
      throw ApiException.badRequest("expected", "required (null means the key is absent)");
    }
    JsonNode expected = request.get("expected");
    StateStore.Swap swap =
        store.compareAndSwap(
            run, key, expected.isNull() ? null : expected, value(request, "value"), actor(opId));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("swapped", swap.swapped());
    answer.put("value", swap.value() == null ? NullNode.getInstance() : swap.value());
    return answer;
  }

  @POST
  @Path("{key}/{op}")
  public Response unknownOperation(@PathParam("id") String id, @PathParam("op") String op) {
    run(id);
    throw ApiException.badRequest(
        "op",
        "unknown state operation '"
            + op
            + "'; one of increment, append, add-to-set, compare-and-swap");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private UUID run(String id) {
    UUID run;
    try {
      run = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("id", "not a workflow id (a UUID): '" + id + "'");
    }
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.mayAccessRun(run)) {
      throw new ApiException(
          403, "forbidden", "Authorization: an agent's token reaches only its own run", Map.of());
    }
    if (!runs.exists(run)) {
      throw ApiException.notFound("workflow", id);
    }
    return run;
  }

  private StateStore.Actor actor(String opId) {
    if (opId != null && (opId.isEmpty() || opId.length() > 200)) {
      throw ApiException.badRequest(IDEMPOTENCY_KEY, "1 to 200 characters");
    }
    UUID job =
        security.getUserPrincipal() instanceof FlowPrincipal p && !p.admin()
            ? p.grant().jobId()
            : null;
    return new StateStore.Actor(job, opId);
  }

  /** The body as a JSON object with only the {@code allowed} fields. */
  private static JsonNode object(String body, String... allowed) {
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest("body", "required: a JSON object");
    }
    JsonNode tree;
    try {
      tree = StateValues.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("body", "not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw ApiException.badRequest("body", "expected a JSON object");
    }
    var names = tree.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!java.util.List.of(allowed).contains(name)) {
        throw ApiException.badRequest(
            name, "unknown field (expected " + String.join(", ", allowed) + ")");
      }
    }
    return tree;
  }

  private static JsonNode value(JsonNode request, String field) {
    if (!request.has(field)) {
      throw ApiException.badRequest(field, "required");
    }
    return request.get(field);
  }

  private static Instant instant(String field, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          field, "not an ISO-8601 instant (such as 2026-11-27T10:15:30Z): '" + text + "'");
    }
  }

  private static Map<String, Object> entry(String key, JsonNode value) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("key", key);
    entry.put("value", value);
    return entry;
  }

  private static ApiException absent(String key, UUID run) {
    return new ApiException(
        404, "not_found", "no key '" + key + "' in the state of workflow " + run, Map.of());
  }

  private static void writeLarge(OutputStream out, String key, StateBlobs.Blob blob)
      throws java.io.IOException {
    out.write("{\"key\":".getBytes(StandardCharsets.UTF_8));
    out.write(
        StateValues.write(StateValues.JSON.getNodeFactory().textNode(key))
            .getBytes(StandardCharsets.UTF_8));
    out.write(",\"value\":".getBytes(StandardCharsets.UTF_8));
    blob.writeTo(out);
    out.write('}');
  }
}
