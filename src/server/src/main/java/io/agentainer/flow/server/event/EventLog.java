package io.agentainer.flow.server.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Writes events in the caller's transaction (so an event exists exactly when what it tells of was
 * committed) and, once committed, hands them to live listeners (the server-sent event streams).
 */
@ApplicationScoped
public class EventLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject EntityManager em;
  @Inject Clock clock;
  @Inject jakarta.enterprise.event.Event<Committed> committed;

  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  /** An event that is in the database. */
  public record Committed(Event event) {}

  /** Records an event; {@code payload} is written as JSON. */
  public Event record(
      UUID runId, String stepName, UUID jobId, String type, Map<String, ?> payload) {
    Event event;
    try {
      event =
          new Event(
              runId,
              stepName,
              jobId,
              type,
              payload == null ? null : JSON.writeValueAsString(payload),
              clock.instant());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    em.persist(event); // its references to the run and job are checked at commit (deferred)
    committed.fire(new Committed(event));
    return event;
  }

  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Committed event) {
    listeners.forEach(l -> l.accept(event.event()));
  }

  /** Listens to every committed event until the returned handle is closed. */
  public AutoCloseable listen(Consumer<Event> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** A run's events after {@code afterId}, oldest first, optionally of some types. */
  public List<Event> history(UUID runId, List<String> types, long afterId, int limit) {
    String jpql =
        "select e from Event e where e.runId = :run and e.id > :after"
            + (types == null || types.isEmpty() ? "" : " and e.type in :types")
            + " order by e.id";
    var query =
        em.createQuery(jpql, Event.class)
            .setParameter("run", runId)
            .setParameter("after", afterId)
            .setMaxResults(limit);
    if (types != null && !types.isEmpty()) {
      query.setParameter("types", types);
    }
    return query.getResultList();
  }
}
