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

  /**
   * The due queued jobs that their run's and their step's {@code maxParallel} allow now, fairly
   * across runs: a run with fewer jobs running goes first (its next waiting job counts as its
   * running jobs plus its place in its queue), so runs progress together; priority breaks ties,
   * then age. Plain agent jobs each count as a run of their own.
   */
  static final String CANDIDATES =
      """
      with running as (
        select run_id, step_name, count(*) as n from job
        where status = 'RUNNING' and run_id is not null group by run_id, step_name),
      run_running as (select run_id, sum(n) as n from running group by run_id),
      due as (
        select j.id, j.run_id, j.priority, j.due_at, j.task_id,
          row_number() over (partition by j.run_id, j.step_name order by j.task_id nulls first, j.due_at, j.id) as step_rank,
          s.max_parallel as step_limit, coalesce(sr.n, 0) as step_running
        from job j
        left join step s on s.run_id = j.run_id and s.name = j.step_name
        left join running sr on sr.run_id = j.run_id and sr.step_name = j.step_name
        where j.status = 'QUEUED' and j.due_at <= ?1),
      step_allowed as (
        select id, run_id, priority, due_at, task_id from due
        where step_limit is null or step_running + step_rank <= step_limit),
      ranked as (
        select a.id, a.priority, a.due_at,
          row_number() over (partition by coalesce(a.run_id, a.id) order by a.due_at, a.task_id nulls first, a.id) as run_rank,
          r.max_parallel as run_limit, coalesce(rr.n, 0) as run_running
        from step_allowed a
        left join run r on r.id = a.run_id
        left join run_running rr on rr.run_id = a.run_id)
      select id from ranked
      where run_limit is null or run_running + run_rank <= run_limit
      order by run_running + run_rank, priority desc, due_at, id
      limit ?2
      """;

  @Override
  public List<Job> lockDue(Instant now, int limit) {
    return lockDueJobs(now, limit).jobs();
  }

  @Override
  public DueJobs lockDueJobs(Instant now, int limit) {
    @SuppressWarnings("unchecked")
    List<Object> candidates =
        em.createNativeQuery(CANDIDATES)
            .setParameter(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .setParameter(2, limit * 4)
            .getResultList();
    if (candidates.isEmpty()) {
      return new DueJobs(List.of(), false);
    }
    List<UUID> order = candidates.stream().map(JpaJobRepository::toUuid).toList();
    @SuppressWarnings("unchecked")
    // ids are UUIDs we just read: safe to write into the statement. Only the rows returned are
    // locked, in the candidates' order; rows another node holds are skipped.
    String ids =
        order.stream().map(id -> "'" + id + "'").collect(java.util.stream.Collectors.joining(","));
    @SuppressWarnings("unchecked")
    List<Object> locked =
        em.createNativeQuery(
                "select id from job where id in ("
                    + ids
                    + ") and status = 'QUEUED'"
                    + " order by array_position(array["
                    + ids
                    + "]::uuid[], id)"
                    + " limit ?1 for update skip locked")
            .setParameter(1, limit)
            .getResultList();
    List<Job> jobs = locked.stream().map(id -> em.find(Job.class, toUuid(id))).toList();
    return new DueJobs(jobs, jobs.size() < limit && jobs.size() < candidates.size());
  }

  @Override
  public Optional<Instant> nextDue() {
    return Optional.ofNullable(
        em.createQuery("select min(j.dueAt) from Job j where j.status = 'QUEUED'", Instant.class)
            .getSingleResult());
  }

  @Override
  public Optional<Instant> nextDueAfter(Instant after) {
    return Optional.ofNullable(
        em.createQuery(
                "select min(j.dueAt) from Job j where j.status = 'QUEUED' and j.dueAt > :after",
                Instant.class)
            .setParameter("after", after)
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
  public int renewLeases(String nodeId, java.util.Collection<UUID> running, Instant until) {
    if (running.isEmpty()) {
      return 0;
    }
    StringBuilder ids = new StringBuilder();
    running.forEach(id -> ids.append(ids.length() == 0 ? "" : ",").append(id));
    // rows locked by a transaction that is ending or changing the job are skipped, in id order:
    // renewing never waits on (or deadlocks with) a job's completion; the next beat renews them
    return em.createNativeQuery(
            "update job set lease_expires_at = ?1 where id in (select id from job"
                + " where status = 'RUNNING' and lease_owner = ?2 and lease_expires_at < ?1"
                + " and id = any(cast(string_to_array(?3, ',') as uuid[]))"
                + " order by id for update skip locked)")
        .setParameter(1, OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
        .setParameter(2, nodeId)
        .setParameter(3, ids.toString())
        .executeUpdate();
  }

  private static UUID toUuid(Object value) {
    return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
  }
}
