package io.agentainer.flow.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.server.testing.PostgresExtension;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JpaJobRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00.250Z");

  private static Clock at(long seconds) {
    return Clock.fixed(T0.plusSeconds(seconds), ZoneOffset.UTC);
  }

  static UUID newRun(DataSource ds) throws SQLException {
    UUID run = UUID.randomUUID();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement def =
          c.prepareStatement(
              "insert into definition (name, version, spec, spec_hash, created_at)"
                  + " values ('wc', (select coalesce(max(version), 0) + 1 from definition where name = 'wc'), '{}', 'h', now())")) {
        def.executeUpdate();
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into run (id, definition_id, status, created_at)"
                  + " values (?, (select max(id) from definition), 'RUNNING', now())")) {
        insert.setObject(1, run);
        insert.executeUpdate();
      }
    }
    return run;
  }

  private static JobSpec task(UUID run, String step, Integer task) {
    return new JobSpec(
        null,
        run,
        step,
        task,
        null,
        "agentainer/example-agent:latest",
        "echo",
        "process",
        null,
        "{\"i\":" + task + "}",
        null,
        ExecutionMode.COLD,
        null,
        1,
        0);
  }

  private static Job persist(EntityManager em, Job job) {
    em.getTransaction().begin();
    new JpaJobRepository(em).add(job);
    em.getTransaction().commit();
    return job;
  }

  @Test
  void storesJsonAndReadsItBack(EntityManager em) {
    Job job =
        persist(
            em,
            Job.queue(
                JobSpec.standalone(
                    "img:1", "echo", "process", "{\"env\":{\"A\":\"1\"}}", "{\"x\":[1,2]}"),
                at(0)));
    em.clear();
    Job read = new JpaJobRepository(em).find(job.id()).orElseThrow();
    assertThat(read.input()).isEqualTo("{\"x\": [1, 2]}");
    assertThat(read.agentConfig()).contains("\"A\": \"1\"");
    assertThat(read.queuedAt()).isEqualTo(T0);
    assertThat(read.workflowId()).isNull();
  }

  @Test
  void listsAWorkflowsJobsByStepThenTaskWithFiltersAndPages(EntityManager em, DataSource ds)
      throws SQLException {
    UUID run = newRun(ds);
    UUID other = newRun(ds);
    em.getTransaction().begin();
    JpaJobRepository jobs = new JpaJobRepository(em);
    for (int t = 2; t >= 0; t--) {
      jobs.add(Job.queue(task(run, "b", t), at(t)));
      jobs.add(Job.queue(task(run, "a", t), at(10 + t)));
    }
    jobs.add(Job.queue(task(other, "a", 0), at(0)));
    em.getTransaction().commit();

    List<Job> all = jobs.listOfWorkflow(run, Set.of(), 0, 100);
    assertThat(all)
        .extracting(j -> j.stepId() + j.taskId())
        .containsExactly("a0", "a1", "a2", "b0", "b1", "b2");
    assertThat(jobs.listOfWorkflow(run, Set.of(), 4, 100))
        .extracting(j -> j.stepId() + j.taskId())
        .containsExactly("b1", "b2");
    assertThat(jobs.count(run, Set.of())).isEqualTo(6);
    assertThat(jobs.count(run, EnumSet.of(JobStatus.RUNNING))).isZero();
    assertThat(jobs.count(run, EnumSet.allOf(JobStatus.class))).isEqualTo(6);
    assertThat(jobs.count(null, Set.of())).isEqualTo(7);
    assertThat(jobs.list(null, Set.of(), 0, 2))
        .extracting(Job::queuedAt)
        .containsExactly(T0.plusSeconds(12), T0.plusSeconds(11));
  }

  @Test
  void twoNodesNeverClaimTheSameJob(EntityManagerFactory emf) {
    EntityManager a = emf.createEntityManager();
    EntityManager b = emf.createEntityManager();
    try {
      persist(a, Job.queue(JobSpec.standalone("img:1", "echo", "process", null, null), at(0)));
      persist(a, Job.queue(JobSpec.standalone("img:1", "echo", "process", null, null), at(1)));
      Instant now = T0.plusSeconds(5);
      a.getTransaction().begin();
      b.getTransaction().begin();
      JobRepository.DueJobs firstDue = new JpaJobRepository(a).lockDueJobs(now, 1);
      JobRepository.DueJobs secondDue = new JpaJobRepository(b).lockDueJobs(now, 5);
      List<Job> first = firstDue.jobs();
      List<Job> second = secondDue.jobs();
      List<Job> third = new JpaJobRepository(b).lockDue(now, 5);
      assertThat(first).hasSize(1);
      assertThat(firstDue.othersHeldSome()).isFalse(); // it took as many as it asked for
      assertThat(secondDue.othersHeldSome()).isTrue(); // it wanted the one the other holds
      assertThat(second).hasSize(1);
      assertThat(second.get(0).id()).isNotEqualTo(first.get(0).id());
      assertThat(first.get(0).queuedAt()).isEqualTo(T0); // oldest first
      assertThat(third).extracting(Job::id).containsExactly(second.get(0).id()); // its own lock
    } finally {
      for (EntityManager em : List.of(a, b)) {
        if (em.getTransaction().isActive()) {
          em.getTransaction().rollback();
        }
        em.close();
      }
    }
  }

  @Test
  void onlyDueJobsAreClaimedAndTheNextDueTimeIsKnown(EntityManager em) {
    Job job =
        Job.queue(
            new JobSpec(
                null,
                null,
                null,
                null,
                null,
                "img:1",
                "echo",
                "process",
                null,
                null,
                null,
                ExecutionMode.COLD,
                null,
                2,
                0),
            at(0));
    job.claim("n", T0.plusSeconds(30), at(0));
    job.retry(
        "{\"type\":\"x\",\"message\":\"\",\"retryable\":true}", Duration.ofSeconds(10), at(1));
    persist(em, job);
    JpaJobRepository jobs = new JpaJobRepository(em);
    assertThat(jobs.nextDue()).hasValue(T0.plusSeconds(11));
    assertThat(jobs.nextDueAfter(T0.plusSeconds(10))).hasValue(T0.plusSeconds(11));
    assertThat(jobs.nextDueAfter(T0.plusSeconds(11))).isEmpty(); // due: no time to wait for
    em.getTransaction().begin();
    assertThat(jobs.lockDue(T0.plusSeconds(10), 10)).isEmpty();
    assertThat(jobs.lockDue(T0.plusSeconds(11), 10)).hasSize(1);
    em.getTransaction().rollback();
  }

  @Test
  void leasesAreRenewedForTheirNodeAndExpiredOnesFound(EntityManager em, DataSource ds)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.createStatement()
          .execute(
              "insert into node (id, host, status, started_at, heartbeat_at) values ('n1', 'h', 'ACTIVE', now(), now()), ('n2', 'h', 'ACTIVE', now(), now())");
    }
    Job mine = Job.queue(JobSpec.standalone("img:1", "echo", "process", null, null), at(0));
    mine.claim("n1", T0.plusSeconds(30), at(0));
    Job forgotten = Job.queue(JobSpec.standalone("img:1", "echo", "process", null, null), at(0));
    forgotten.claim("n1", T0.plusSeconds(30), at(0));
    Job theirs = Job.queue(JobSpec.standalone("img:1", "echo", "process", null, null), at(0));
    theirs.claim("n2", T0.plusSeconds(30), at(0));
    persist(em, mine);
    persist(em, forgotten);
    persist(em, theirs);
    JpaJobRepository jobs = new JpaJobRepository(em);

    em.getTransaction().begin();
    // the node works on "mine" only: "forgotten" (its thread ended without recording) expires
    assertThat(jobs.renewLeases("n1", List.of(mine.id(), theirs.id()), T0.plusSeconds(60)))
        .isEqualTo(1);
    assertThat(jobs.renewLeases("n1", List.of(), T0.plusSeconds(60))).isZero();
    em.getTransaction().commit();
    em.clear();

    em.getTransaction().begin();
    assertThat(jobs.expiredLeases(T0.plusSeconds(45), 10))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(theirs.id(), forgotten.id());
    assertThat(jobs.runningOn("n1"))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(mine.id(), forgotten.id());
    em.getTransaction().rollback();
  }

  private static void limits(
      DataSource ds, UUID run, Integer runLimit, String step, Integer stepLimit)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement r =
          c.prepareStatement("update run set max_parallel = ? where id = ?")) {
        r.setObject(1, runLimit);
        r.setObject(2, run);
        r.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into step (run_id, name, kind, status, max_parallel) values (?, ?, 'map', 'RUNNING', ?)")) {
        s.setObject(1, run);
        s.setString(2, step);
        s.setObject(3, stepLimit);
        s.executeUpdate();
      }
    }
  }

  @Test
  void claimsAreFairAcrossRuns(EntityManager em, DataSource ds) throws SQLException {
    UUID a = newRun(ds);
    UUID b = newRun(ds);
    try (Connection c = ds.getConnection()) {
      c.createStatement()
          .execute(
              "insert into node (id, host, status, started_at, heartbeat_at)"
                  + " values ('n', 'h', 'ACTIVE', now(), now())");
    }
    limits(ds, a, null, "x", null);
    limits(ds, b, null, "x", null);
    em.getTransaction().begin();
    JpaJobRepository jobs = new JpaJobRepository(em);
    for (int t = 0; t < 10; t++) {
      jobs.add(Job.queue(task(a, "x", t), at(t))); // run a queued all its jobs first
    }
    for (int t = 0; t < 10; t++) {
      jobs.add(Job.queue(task(b, "x", t), at(20 + t)));
    }
    em.getTransaction().commit();

    em.getTransaction().begin();
    List<Job> claimed = jobs.lockDue(T0.plusSeconds(100), 4);
    assertThat(claimed)
        .extracting(j -> (j.workflowId().equals(a) ? "a" : "b") + j.taskId())
        .containsExactly("a0", "b0", "a1", "b1");
    // a0 and a1 start: now b goes first, until it runs as many
    claimed.stream()
        .filter(j -> j.workflowId().equals(a))
        .forEach(j -> j.claim("n", T0.plusSeconds(200), at(100)));
    em.getTransaction().commit();
    em.getTransaction().begin();
    assertThat(jobs.lockDue(T0.plusSeconds(100), 3))
        .extracting(j -> (j.workflowId().equals(a) ? "a" : "b") + j.taskId())
        .containsExactly("b0", "b1", "a2");
    em.getTransaction().rollback();
  }

  @Test
  void claimsHonourTheStepAndRunLimits(EntityManager em, DataSource ds) throws SQLException {
    UUID run = newRun(ds);
    limits(ds, run, 3, "narrow", 2);
    try (Connection c = ds.getConnection()) {
      c.createStatement()
          .execute(
              "insert into step (run_id, name, kind, status) values ('"
                  + run
                  + "', 'wide', 'map', 'RUNNING')");
      c.createStatement()
          .execute(
              "insert into node (id, host, status, started_at, heartbeat_at)"
                  + " values ('n', 'h', 'ACTIVE', now(), now())");
    }
    em.getTransaction().begin();
    JpaJobRepository jobs = new JpaJobRepository(em);
    for (int t = 0; t < 5; t++) {
      jobs.add(Job.queue(task(run, "narrow", t), at(t)));
      jobs.add(Job.queue(task(run, "wide", t), at(10 + t)));
    }
    em.getTransaction().commit();

    em.getTransaction().begin();
    JobRepository.DueJobs due = jobs.lockDueJobs(T0.plusSeconds(100), 10);
    List<Job> claimed = due.jobs();
    assertThat(claimed).hasSize(3); // the run's limit
    assertThat(due.othersHeldSome()).isFalse(); // the limits held the others back, no other node
    assertThat(claimed.stream().filter(j -> j.stepId().equals("narrow")))
        .hasSizeLessThanOrEqualTo(2);
    em.getTransaction().rollback();

    // one narrow task running: the step has one place left, the run two
    em.getTransaction().begin();
    Job first = jobs.lockDue(T0.plusSeconds(100), 1).get(0);
    first.claim("n", T0.plusSeconds(130), at(100));
    em.getTransaction().commit();
    em.getTransaction().begin();
    List<Job> next = jobs.lockDue(T0.plusSeconds(100), 10);
    assertThat(next).hasSize(2);
    // the jobs held back are due: the dispatcher has no due time to wait for, only a job's end
    assertThat(jobs.nextDueAfter(T0.plusSeconds(100))).isEmpty();
    assertThat(next.stream().filter(j -> j.stepId().equals("narrow")).count())
        .isLessThanOrEqualTo(first.stepId().equals("narrow") ? 1 : 2);
    em.getTransaction().rollback();
  }
}
