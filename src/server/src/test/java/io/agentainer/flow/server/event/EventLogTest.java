package io.agentainer.flow.server.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentainer.flow.server.testing.PostgresExtension;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the live streams read of the log in PostgreSQL: an event whose transaction is still open is
 * not seen, and that transaction is among the running ones the same look reports.
 */
@ExtendWith(PostgresExtension.class)
class EventLogTest {

  private static long insertEvent(Connection c, String type) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet id =
            s.executeQuery(
                "insert into event (type, at) values ('" + type + "', now()) returning id")) {
      id.next();
      return id.getLong(1);
    }
  }

  private static long transactionId(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet xid = s.executeQuery("select pg_current_xact_id()::text::bigint")) {
      xid.next();
      return xid.getLong(1);
    }
  }

  private static EventLog log(EntityManager em) {
    EventLog log = new EventLog();
    log.em = em;
    return log;
  }

  @Test
  void aLookSeesCommittedIdsOnlyAndTheTransactionsThatMayStillCommitSmallerOnes(
      EntityManager em, DataSource ds) throws SQLException {
    EventLog log = log(em);
    try (Connection open = ds.getConnection();
        Connection other = ds.getConnection()) {
      open.setAutoCommit(false);
      long smaller = insertEvent(open, "job.running");
      long xid = transactionId(open);
      long bigger = insertEvent(other, "job.succeeded"); // commits at once
      assertThat(bigger).isGreaterThan(smaller);

      EventLog.Committed look = log.committedAfter(0, 10);
      assertThat(look.ids()).containsExactly(bigger);
      assertThat(look.runs()).containsExactly((UUID) null);
      assertThat(look.oldestRunning()).isLessThanOrEqualTo(xid);
      assertThat(look.nextTransaction()).isGreaterThan(xid);
      assertThat(log.lastId()).isEqualTo(bigger);

      open.commit();
      assertThat(log.committedAfter(0, 10).ids()).containsExactly(smaller, bigger);
      assertThat(log.committedAfter(smaller, 10).ids()).containsExactly(bigger);
      assertThat(log.committedAfter(0, 1).ids()).containsExactly(smaller);
    }
  }

  @Test
  void aRolledBackIdIsPassedOnceItsTransactionEnded(EntityManager em, DataSource ds)
      throws SQLException {
    EventLog log = log(em);
    try (Connection open = ds.getConnection();
        Connection other = ds.getConnection()) {
      open.setAutoCommit(false);
      long rolledBack = insertEvent(open, "job.running");
      long committed = insertEvent(other, "job.succeeded");
      EventHorizon horizon = new EventHorizon(rolledBack - 1, Duration.ofMinutes(10));
      assertThat(horizon.advance(look(log))).isEqualTo(rolledBack - 1);
      assertThat(horizon.holding()).isTrue();

      open.rollback();
      // other transactions of the database (other tests) end too, soon
      await().atMost(Duration.ofSeconds(30)).until(() -> horizon.advance(look(log)) == committed);
    }
  }

  @Test
  void historyReadsARunsEventsBetweenTwoIds(EntityManager em, DataSource ds) throws SQLException {
    EventLog log = log(em);
    try (Connection c = ds.getConnection()) {
      c.createStatement()
          .execute(
              "insert into definition (name, version, spec, spec_hash, created_at)"
                  + " values ('ev', 1, '{}', 'h', now())");
      c.createStatement()
          .execute(
              "insert into run (id, definition_id, status, created_at) values"
                  + " ('00000000-0000-0000-0000-000000000001',"
                  + " (select max(id) from definition), 'RUNNING', now())");
      for (String type : List.of("run.started", "step.started", "job.queued", "job.running")) {
        c.createStatement()
            .execute(
                "insert into event (run_id, type, at) values"
                    + " ('00000000-0000-0000-0000-000000000001', '"
                    + type
                    + "', now())");
      }
    }
    UUID run = UUID.fromString("00000000-0000-0000-0000-000000000001");
    List<Event> all = log.history(run, List.of(), 0, 100);
    assertThat(all).extracting(Event::type).hasSize(4).first().isEqualTo("run.started");
    long second = all.get(1).id();
    long third = all.get(2).id();
    assertThat(log.history(run, List.of(), all.get(0).id(), third, 100))
        .extracting(Event::id)
        .containsExactly(second, third);
    assertThat(log.history(run, List.of("job.running", "job.queued"), 0, third, 100))
        .extracting(Event::type)
        .containsExactly("job.queued");
  }

  private static EventHorizon.Look look(EventLog log) {
    EventLog.Committed seen = log.committedAfter(0, 100);
    return new EventHorizon.Look(
        seen.ids(), seen.oldestRunning(), seen.nextTransaction(), java.time.Instant.now());
  }
}
