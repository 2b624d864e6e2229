package io.agentainer.flow.server.event;

import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;

/**
 * Every run's events, for operators: {@code GET /api/events} (history, oldest first, {@code
 * ?type=&after=&limit=}) and {@code GET /api/events/stream} (server-sent events as they commit,
 * from now on, or after {@code Last-Event-ID}). Dashboards follow {@code run.*} events here to
 * redraw when something happens instead of asking every few seconds.
 *
 * <p>The stream keeps the promises of a run's stream ({@link EventResource}): ascending ids, each
 * once, none skipped that commits. Without {@code Last-Event-ID} it starts with the events not yet
 * settled when it opens, not with the history. Only the admin token may read it: an agent's token
 * reaches its own run only (403).
 */
@Path("events")
@RequestScoped
public class EventsResource {

  @Inject EventLog log;
  @Inject EventFeed feed;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> history(
      @QueryParam("type") List<String> types,
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("500") int limit) {
    requireAdmin();
    return EventResource.page(log, null, types, after, limit);
  }

  @GET
  @Path("stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @QueryParam("type") List<String> types,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    requireAdmin();
    List<String> wanted = EventResource.types(types);
    long resumeAfter =
        lastEventId == null || lastEventId.isBlank()
            ? EventFeed.FROM_NOW
            : EventResource.parseLastEventId(lastEventId);
    // a comment first: the response headers go out at once, even before any event exists
    sink.send(sse.newEventBuilder().comment("every run's events").build());
    feed.open(null, wanted, resumeAfter, new EventResource.SseSink(sink, sse));
  }

  private void requireAdmin() {
    if (security.getUserPrincipal() instanceof FlowPrincipal p && !p.admin()) {
      throw new ApiException(
          403,
          "forbidden",
          "Authorization: an agent's token reaches its own run's events only",
          Map.of());
    }
  }
}
