package io.agentainer.flow.server.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link JobRepository} over JPA and, for claiming, PostgreSQL's {@code SKIP LOCKED}. */
@ApplicationScoped
public class JpaJobRepository implements JobRepository {

  private final EntityManager em;

  @Inject
  public JpaJobRepository(EntityManager em) {
    this.em = em;
  }

  /** For CDI's proxy. */
  protected JpaJobRepository() {
    this.em = null;
  }

  @Override
  public void add(Job job) {
    em.persist(job);
  }

  @Override
  public Optional<Job> find(UUID id) {
    return Optional.ofNullable(em.find(Job.class, id));
  }

  @Override
  public List<Job> list(UUID workflowId, Collection<JobStatus> statuses, int offset, int limit) {
    return page(
        query(
            workflowId,
            statuses,
            "select j from Job j",
            " order by j.queuedAt desc, j.id",
            Job.class),
        offset,
        limit);
  }

  @Override
  public long count(UUID workflowId, Collection<JobStatus> statuses) {
    return query(workflowId, statuses, "select count(j) from Job j", "", Long.class)
        .getSingleResult();
  }

  @Override
  public List<Job> listOfWorkflow(
      UUID workflowId, Collection<JobStatus> statuses, int offset, int limit) {
    return page(
        query(
            workflowId,
            statuses,
            "select j from Job j",
            " order by j.stepId, j.taskId, j.attempt, j.queuedAt, j.id",
            Job.class),
        offset,
        limit);
  }

  private <T> TypedQuery<T> query(
      UUID workflowId,
      Collection<JobStatus> statuses,
      String select,
      String orderBy,
      Class<T> type) {
    StringBuilder jpql = new StringBuilder(select).append(" where 1 = 1");
    if (workflowId != null) {
      jpql.append(" and j.workflowId = :workflowId");
    }
    boolean filtered =
        statuses != null
            && !statuses.isEmpty()
            && !statuses.containsAll(EnumSet.allOf(JobStatus.class));
    if (filtered) {
      jpql.append(" and j.status in :statuses");
    }
    TypedQuery<T> query = em.createQuery(jpql.append(orderBy).toString(), type);
    if (workflowId != null) {
      query.setParameter("workflowId", workflowId);
    }
    if (filtered) {
      query.setParameter("statuses", statuses.stream().map(Enum::name).toList());
    }
    return query;
  }

  private static <T> List<T> page(TypedQuery<T> query, int offset, int limit) {
    return query.setFirstResult(offset).setMaxResults(limit).getResultList();
  }

  @Override
  public List<Job> lockDue(Instant now, int limit) {
    @SuppressWarnings("unchecked")
    List<Object> ids =
        em.createNativeQuery(
                "select id from job where status = 'QUEUED' and due_at <= ?1"
                    + " order by priority desc, due_at, id limit ?2 for update skip locked")
            .setParameter(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .setParameter(2, limit)
            .getResultList();
    return ids.stream().map(id -> em.find(Job.class, toUuid(id))).toList();
  }

  @Override
  public Optional<Instant> nextDue() {
    return Optional.ofNullable(
        em.createQuery("select min(j.dueAt) from Job j where j.status = 'QUEUED'", Instant.class)
            .getSingleResult());
  }

  @Override
  public List<Job> expiredLeases(Instant now, int limit) {
    return em.createQuery(
            "select j from Job j where j.status = 'RUNNING' and j.leaseExpiresAt < :now"
                + " order by j.leaseExpiresAt",
            Job.class)
        .setParameter("now", now)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  public List<Job> runningOn(String nodeId) {
    return em.createQuery(
            "select j from Job j where j.status = 'RUNNING' and j.leaseOwner = :node", Job.class)
        .setParameter("node", nodeId)
        .getResultList();
  }

  @Override
  public int renewLeases(String nodeId, Instant until) {
    return em.createNativeQuery(
            "update job set lease_expires_at = ?1 where status = 'RUNNING' and lease_owner = ?2"
                + " and lease_expires_at < ?1")
        .setParameter(1, OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
        .setParameter(2, nodeId)
        .executeUpdate();
  }

  private static UUID toUuid(Object value) {
    return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
  }
}
