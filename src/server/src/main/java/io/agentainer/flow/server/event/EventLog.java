package io.agentainer.flow.server.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Writes events in the caller's transaction (so an event exists exactly when what it tells of was
 * committed) and, once committed, hands them to live listeners (the server-sent event streams) in
 * the order of their ids. The database assigns the ids when the transaction flushes, not in the
 * order the events were recorded, so the events of a transaction are gathered and delivered sorted
 * once it has committed: a stream that resumes from the last id it sent then loses none.
 */
@ApplicationScoped
public class EventLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject EntityManager em;
  @Inject Clock clock;
  @jakarta.annotation.Resource TransactionSynchronizationRegistry transactions;

  /** The key of a transaction's recorded events in its synchronization registry. */
  private final Object pendingKey = new Object();

  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

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
    pending().add(event);
    return event;
  }

  /** The events this transaction recorded, delivered sorted by id once it commits. */
  @SuppressWarnings("unchecked")
  private List<Event> pending() {
    List<Event> pending = (List<Event>) transactions.getResource(pendingKey);
    if (pending == null) {
      List<Event> created = new ArrayList<>();
      transactions.putResource(pendingKey, created);
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {
              // the ids are assigned when the transaction flushes
            }

            @Override
            public void afterCompletion(int status) {
              if (status == Status.STATUS_COMMITTED) {
                deliver(created);
              }
            }
          });
      pending = created;
    }
    return pending;
  }

  void deliver(List<Event> events) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(Event::id));
    for (Event event : sorted) {
      listeners.forEach(l -> l.accept(event));
    }
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
