package io.agentainer.flow.server.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Writes events in the caller's transaction (so an event exists exactly when what it tells of was
 * committed), tells listeners (the live streams' {@link EventFeed}) once a transaction that wrote
 * events has committed, and reads the log: a run's history, and what is committed beyond an id.
 */
@ApplicationScoped
public class EventLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject EntityManager em;
  @Inject Clock clock;
  @jakarta.annotation.Resource TransactionSynchronizationRegistry transactions;

  /** Marks, in a transaction's synchronization registry, that it wrote events. */
  private final Object pendingKey = new Object();

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

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
    tellListenersOnCommit();
    return event;
  }

  /** Listeners hear of this transaction's events once it commits: arranged at its first event. */
  private void tellListenersOnCommit() {
    if (transactions.getResource(pendingKey) != null) {
      return;
    }
    transactions.putResource(pendingKey, Boolean.TRUE);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {
            // the events are written when the transaction flushes
          }

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              listeners.forEach(Runnable::run);
            }
          }
        });
  }

  /**
   * Calls {@code onCommit} after each transaction that wrote events commits, on its thread, until
   * the returned handle is closed. It must be quick: the thread is the committing caller's.
   */
  public AutoCloseable listen(Runnable onCommit) {
    listeners.add(onCommit);
    return () -> listeners.remove(onCommit);
  }

  /** A run's events after {@code afterId}, oldest first, optionally of some types. */
  public List<Event> history(UUID runId, List<String> types, long afterId, int limit) {
    return history(runId, types, afterId, Long.MAX_VALUE, limit);
  }

  /**
   * A run's events (every run's when {@code runId} is null) after {@code afterId} up to {@code
   * upTo}, oldest first, optionally of some types.
   */
  @Transactional
  public List<Event> history(UUID runId, List<String> types, long afterId, long upTo, int limit) {
    String jpql =
        "select e from Event e where e.id > :after and e.id <= :upTo"
            + (runId == null ? "" : " and e.runId = :run")
            + (types == null || types.isEmpty() ? "" : " and e.type in :types")
            + " order by e.id";
    var query =
        em.createQuery(jpql, Event.class)
            .setParameter("after", afterId)
            .setParameter("upTo", upTo)
            .setMaxResults(limit);
    if (runId != null) {
      query.setParameter("run", runId);
    }
    if (types != null && !types.isEmpty()) {
      query.setParameter("types", types);
    }
    return query.getResultList();
  }

  /** The highest event id committed, 0 when there is none. */
  public long lastId() {
    Object last = em.createNativeQuery("select coalesce(max(id), 0) from event").getSingleResult();
    return ((Number) last).longValue();
  }

  /**
   * What is committed after an id: the ids (and their runs), and the transactions running then.
   *
   * @param ids ascending
   * @param runs the run of each id, null for an event of no run
   * @param oldestRunning the oldest transaction running when they were read: every transaction
   *     below it had ended
   * @param nextTransaction the next transaction id then: every transaction running had a smaller
   *     one
   */
  public record Committed(
      List<Long> ids, List<UUID> runs, long oldestRunning, long nextTransaction) {}

  /**
   * The events committed after {@code afterId}, at most {@code limit}, in id order, read in one
   * snapshot with the transactions running in it.
   */
  @Transactional
  public Committed committedAfter(long afterId, int limit) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select e.id, e.run_id,"
                    + " pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
                    + " pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
                    + " from event e where e.id > ?1 order by e.id limit ?2")
            .setParameter(1, afterId)
            .setParameter(2, limit)
            .getResultList();
    if (rows.isEmpty()) {
      return new Committed(List.of(), List.of(), 0, 0);
    }
    List<Long> ids = new ArrayList<>(rows.size());
    List<UUID> runs = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      ids.add(((Number) row[0]).longValue());
      runs.add(
          row[1] == null || row[1] instanceof UUID
              ? (UUID) row[1]
              : UUID.fromString(row[1].toString()));
    }
    Object[] first = rows.get(0);
    return new Committed(
        ids, runs, ((Number) first[2]).longValue(), ((Number) first[3]).longValue());
  }
}
