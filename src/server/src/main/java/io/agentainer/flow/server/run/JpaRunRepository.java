package io.agentainer.flow.server.run;

import io.agentainer.flow.server.common.AdvisoryLock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link RunRepository} over JPA. */
@ApplicationScoped
public class JpaRunRepository implements RunRepository {

  private final EntityManager em;

  @Inject
  public JpaRunRepository(EntityManager em) {
    this.em = em;
  }

  /** For CDI's proxy. */
  protected JpaRunRepository() {
    this.em = null;
  }

  @Override
  public void add(WorkflowRun run) {
    em.persist(run);
    em.flush(); // its steps and jobs refer to it; the provider knows no mapping between them
  }

  @Override
  public void add(StepRun step) {
    em.persist(step);
  }

  @Override
  public Optional<WorkflowRun> find(UUID id) {
    return Optional.ofNullable(em.find(WorkflowRun.class, id));
  }

  @Override
  public Optional<WorkflowRun> lock(UUID id) {
    // FOR NO KEY UPDATE: one engine decision per run at a time, while rows that merely refer to
    // the run (jobs, steps, events being written) are not blocked by it
    @SuppressWarnings("unchecked")
    List<Object> locked =
        em.createNativeQuery("select id from run where id = ?1 for no key update")
            .setParameter(1, id)
            .getResultList();
    if (locked.isEmpty()) {
      return Optional.empty();
    }
    WorkflowRun run = em.find(WorkflowRun.class, id);
    em.refresh(run);
    return Optional.of(run);
  }

  /** The first key of the advisory lock on idempotency keys: "idem". */
  static final int IDEMPOTENCY_LOCK_SPACE = 0x6964656d;

  @Override
  public void lockIdempotencyKey(long definitionId, String key) {
    AdvisoryLock.hold(
        em, IDEMPOTENCY_LOCK_SPACE, definitionId + "/" + key, "idempotency key " + key);
  }

  @Override
  public Optional<WorkflowRun> findByIdempotencyKey(long definitionId, String key) {
    return em.createQuery(
            "select r from WorkflowRun r where r.definitionId = :d and r.idempotencyKey = :k",
            WorkflowRun.class)
        .setParameter("d", definitionId)
        .setParameter("k", key)
        .getResultStream()
        .findFirst();
  }

  @Override
  public List<StepRun> steps(UUID runId) {
    return em.createQuery("select s from StepRun s where s.runId = :r order by s.id", StepRun.class)
        .setParameter("r", runId)
        .getResultList();
  }

  @Override
  public List<RunRow> list(
      String definition,
      Collection<RunStatus> statuses,
      Instant from,
      Instant to,
      int offset,
      int limit) {
    StringBuilder sql =
        new StringBuilder(
            "select r.id, d.name, d.version from run r join definition d on d.id = r.definition_id"
                + " where 1 = 1");
    List<Object> params = new ArrayList<>();
    filter(sql, params, definition, statuses, from, to);
    sql.append(" order by r.created_at desc, r.id offset ? limit ?");
    params.add(offset);
    params.add(limit);
    var query = em.createNativeQuery(sql.toString());
    for (int i = 0; i < params.size(); i++) {
      query.setParameter(i + 1, params.get(i));
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = query.getResultList();
    return rows.stream()
        .map(
            r ->
                new RunRow(
                    em.find(WorkflowRun.class, toUuid(r[0])),
                    (String) r[1],
                    ((Number) r[2]).intValue()))
        .toList();
  }

  @Override
  public long count(String definition, Collection<RunStatus> statuses, Instant from, Instant to) {
    StringBuilder sql =
        new StringBuilder(
            "select count(*) from run r join definition d on d.id = r.definition_id where 1 = 1");
    List<Object> params = new ArrayList<>();
    filter(sql, params, definition, statuses, from, to);
    var query = em.createNativeQuery(sql.toString());
    for (int i = 0; i < params.size(); i++) {
      query.setParameter(i + 1, params.get(i));
    }
    return ((Number) query.getSingleResult()).longValue();
  }

  private static void filter(
      StringBuilder sql,
      List<Object> params,
      String definition,
      Collection<RunStatus> statuses,
      Instant from,
      Instant to) {
    if (from != null) {
      sql.append(" and r.created_at >= ?");
      params.add(OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }
    if (to != null) {
      sql.append(" and r.created_at < ?");
      params.add(OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }
    if (definition != null) {
      sql.append(" and d.name = ?");
      params.add(definition);
    }
    if (statuses != null && !statuses.isEmpty()) {
      sql.append(" and r.status in (");
      int i = 0;
      for (RunStatus status : statuses) {
        sql.append(i++ == 0 ? "?" : ", ?");
        params.add(status.name());
      }
      sql.append(")");
    }
  }

  @Override
  public List<UUID> runsPastDeadline(Instant now, int limit) {
    @SuppressWarnings("unchecked")
    List<Object> ids =
        em.createNativeQuery(
                "select id from run where status in ('PENDING', 'RUNNING') and deadline_at < ?1"
                    + " order by deadline_at limit ?2")
            .setParameter(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .setParameter(2, limit)
            .getResultList();
    return ids.stream().map(JpaRunRepository::toUuid).toList();
  }

  @Override
  public List<StepRun> stepsPastDeadline(Instant now, int limit) {
    TypedQuery<StepRun> query =
        em.createQuery(
            "select s from StepRun s where s.status = 'RUNNING' and s.deadlineAt < :now"
                + " order by s.deadlineAt",
            StepRun.class);
    return query.setParameter("now", now).setMaxResults(limit).getResultList();
  }

  @Override
  public long queuePosition(UUID runId) {
    Object position =
        em.createNativeQuery(
                "select count(*) from job q, (select min(queued_at) t from job where run_id = ?1"
                    + " and status = 'QUEUED') mine where q.status = 'QUEUED' and mine.t is not null"
                    + " and q.queued_at < mine.t")
            .setParameter(1, runId)
            .getSingleResult();
    return ((Number) position).longValue();
  }

  static UUID toUuid(Object value) {
    return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
  }
}
