package io.agentainer.flow.server.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A run's events: {@code GET /api/workflows/{id}/events} (history, oldest first, {@code
 * ?type=&after=&limit=}) and {@code GET /api/workflows/{id}/events/stream} (server-sent events, the
 * history first, then live; resumable with {@code Last-Event-ID}).
 */
@Path("workflows/{id}/events")
@RequestScoped
public class EventResource {

  private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z_]+)*");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Inject EventLog log;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> history(
      @PathParam("id") String id,
      @QueryParam("type") List<String> types,
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("500") int limit) {
    UUID run = run(id);
    if (limit < 1 || limit > 5000) {
      throw ApiException.badRequest("limit", "must be between 1 and 5000, got " + limit);
    }
    List<EventView> items =
        log.history(run, types(types), after, limit).stream().map(EventView::of).toList();
    return Map.of(
        "items", items, "last", items.isEmpty() ? after : items.get(items.size() - 1).id());
  }

  @GET
  @Path("stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("id") String id,
      @QueryParam("type") List<String> types,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    UUID run = run(id);
    List<String> wanted = types(types);
    long resumeAfter = parseLastEventId(lastEventId);
    AtomicLong sent = new AtomicLong(resumeAfter);
    AtomicReference<AutoCloseable> subscription = new AtomicReference<>();
    Object lock = new Object();
    // listen first, so nothing committed between the history and the live events is lost
    subscription.set(
        log.listen(
            event -> {
              if (!run.equals(event.runId())
                  || (!wanted.isEmpty() && !wanted.contains(event.type()))) {
                return;
              }
              synchronized (lock) {
                send(sink, sse, event, sent, subscription.get());
              }
            }));
    synchronized (lock) {
      // a comment first: the response headers go out at once, even before any event exists
      sink.send(sse.newEventBuilder().comment("workflow " + run).build());
      for (Event event : log.history(run, wanted, resumeAfter, 10_000)) {
        send(sink, sse, event, sent, subscription.get());
      }
    }
  }

  private static void send(
      SseEventSink sink, Sse sse, Event event, AtomicLong sent, AutoCloseable subscription) {
    if (event.id() <= sent.get()) {
      return;
    }
    if (sink.isClosed()) {
      close(subscription);
      return;
    }
    try {
      sink.send(
              sse.newEventBuilder()
                  .id(String.valueOf(event.id()))
                  .name(event.type())
                  .mediaType(MediaType.APPLICATION_JSON_TYPE)
                  .data(String.class, JSON.writeValueAsString(EventView.of(event)))
                  .build())
          .exceptionally(
              e -> {
                close(subscription);
                return null;
              });
      sent.set(event.id());
    } catch (JsonProcessingException | RuntimeException e) {
      close(subscription);
    }
  }

  private static void close(AutoCloseable subscription) {
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception ignored) {
        // nothing to release
      }
    }
  }

  private UUID run(String id) {
    UUID run;
    try {
      run = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("id", "not a workflow id (a UUID): '" + id + "'");
    }
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.mayAccessRun(run)) {
      throw ApiException.notFound("workflow", id);
    }
    return run;
  }

  private static List<String> types(List<String> values) {
    if (values == null) {
      return List.of();
    }
    List<String> types =
        values.stream()
            .flatMap(v -> java.util.Arrays.stream(v.split(",")))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .toList();
    for (String type : types) {
      if (!TYPE.matcher(type).matches()) {
        throw ApiException.badRequest(
            "type", "not an event type (like run.started or job.failed): '" + type + "'");
      }
    }
    return types;
  }

  private static long parseLastEventId(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Last-Event-ID", "not an event id: '" + value + "'");
    }
  }
}
