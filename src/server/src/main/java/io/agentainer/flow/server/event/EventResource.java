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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A run's events: {@code GET /api/workflows/{id}/events} (history, oldest first, {@code
 * ?type=&after=&limit=}) and {@code GET /api/workflows/{id}/events/stream} (server-sent events, the
 * history first, then live; resumable with {@code Last-Event-ID}).
 *
 * <p>What a stream guarantees: it sends the run's events (of the {@code type}s asked for) in
 * ascending id order, each once, each with its id, and skips none that commits. Event ids are taken
 * in the transactions that write them, which commit in any order, so an event can commit after one
 * with a bigger id; the stream sends an event only once every smaller id has committed or its
 * transaction has ended, so it never goes past an event still to come (see {@link EventFeed}).
 * Hence a client that reconnects with the last id it received as {@code Last-Event-ID} gets exactly
 * the events after it. Live events may lag their commit a little while another transaction that
 * took a smaller id is still open (it is looked at every 0.1 s); a transaction open for more than
 * {@link EventFeed#LONGEST_HOLD} holds the others back no longer, and its events then show in the
 * history but may miss streams that were open meanwhile.
 *
 * <p>The stream stays open until the client closes it, also after the run has ended (a retry runs
 * it again). A run's last event, {@code run.succeeded}, {@code run.failed} or {@code
 * run.cancelled}, is written in the transaction that ends the run, so it is sent like any other.
 */
@Path("workflows/{id}/events")
@RequestScoped
public class EventResource {

  private static final Logger LOG = Logger.getLogger(EventResource.class.getName());
  private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z_]+)*");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Inject EventLog log;
  @Inject EventFeed feed;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> history(
      @PathParam("id") String id,
      @QueryParam("type") List<String> types,
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("500") int limit) {
    return page(log, run(id), types, after, limit);
  }

  /** A page of history, of one run or (run null) of every run: the events and the last id. */
  static Map<String, Object> page(
      EventLog log, UUID run, List<String> types, long after, int limit) {
    if (limit < 1 || limit > 5000) {
      throw ApiException.badRequest("limit", "must be between 1 and 5000, got " + limit);
    }
    if (after < 0) {
      throw ApiException.badRequest("after", "must be 0 or more, got " + after);
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
    // a comment first: the response headers go out at once, even before any event exists
    sink.send(sse.newEventBuilder().comment("workflow " + run).build());
    feed.open(run, wanted, resumeAfter, new SseSink(sink, sse));
  }

  /**
   * A stream's events as server-sent events: the id, the type as the name, the event as JSON. Each
   * send waits until the event is written, so writes never overlap and a write that fails ends the
   * stream at once: the connection is closed, and the client resumes after the last event it got.
   */
  static final class SseSink implements EventFeed.Sink {

    /** How long a client may take to accept one event before its stream is closed. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final SseEventSink sink;
    private final Sse sse;

    SseSink(SseEventSink sink, Sse sse) {
      this.sink = sink;
      this.sse = sse;
    }

    @Override
    public boolean send(Event event) {
      if (sink.isClosed()) {
        return false;
      }
      try {
        sink.send(
                sse.newEventBuilder()
                    .id(String.valueOf(event.id()))
                    .name(event.type())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, JSON.writeValueAsString(EventView.of(event)))
                    .build())
            .toCompletableFuture()
            .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (JsonProcessingException
          | ExecutionException
          | TimeoutException
          | RuntimeException e) {
        LOG.log(Level.FINE, "an event stream's client is gone", e);
        return false;
      }
    }

    @Override
    public void close() {
      try {
        sink.close();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "closing an event stream", e);
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

  static List<String> types(List<String> values) {
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

  static long parseLastEventId(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    long id;
    try {
      id = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Last-Event-ID", "not an event id: '" + value + "'");
    }
    if (id < 0) {
      throw ApiException.badRequest("Last-Event-ID", "must be 0 or more, got " + id);
    }
    return id;
  }
}
