package io.agentainer.flow.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.server.testing.PostgresExtension;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JpaNodeRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-03-29T01:30:00.123456Z");

  @Test
  void storesAndReadsANodeWithExactInstantsInANonUtcSession(EntityManager em, DataSource ds)
      throws SQLException {
    JpaNodeRepository nodes = new JpaNodeRepository(em);
    em.getTransaction().begin();
    Node node = Node.start("n1", "host-a", 42L, "1.0", Clock.fixed(T0, ZoneOffset.UTC));
    nodes.add(node);
    em.getTransaction().commit();
    em.clear();

    Node read = nodes.find("n1").orElseThrow();
    assertThat(read.host()).isEqualTo("host-a");
    assertThat(read.pid()).isEqualTo(42L);
    assertThat(read.status()).isEqualTo(NodeStatus.ACTIVE);
    assertThat(read.startedAt()).isEqualTo(T0);
    assertThat(read.heartbeatAt()).isEqualTo(T0);

    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select current_setting('TimeZone'),"
                    + " to_char(started_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
                    + " from node where id = 'n1'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(PostgresExtension.SESSION_TIME_ZONE);
      assertThat(rs.getString(2)).isEqualTo("2026-03-29 01:30:00.123456");
    }
  }

  @Test
  void heartbeatAndStopArePersisted(EntityManager em) {
    JpaNodeRepository nodes = new JpaNodeRepository(em);
    em.getTransaction().begin();
    nodes.add(Node.start("n1", "host-a", null, null, Clock.fixed(T0, ZoneOffset.UTC)));
    em.getTransaction().commit();

    em.getTransaction().begin();
    Instant later = T0.plus(5, ChronoUnit.SECONDS);
    nodes.find("n1").orElseThrow().heartbeat(Clock.fixed(later, ZoneOffset.UTC));
    em.getTransaction().commit();
    em.getTransaction().begin();
    nodes.find("n1").orElseThrow().stop(Clock.fixed(later.plusSeconds(1), ZoneOffset.UTC));
    em.getTransaction().commit();
    em.clear();

    Node read = nodes.find("n1").orElseThrow();
    assertThat(read.heartbeatAt()).isEqualTo(later);
    assertThat(read.status()).isEqualTo(NodeStatus.STOPPED);
    assertThat(read.stoppedAt()).isEqualTo(later.plusSeconds(1));
  }

  @Test
  void listsTheNewestFirstAndCounts(EntityManager em) {
    JpaNodeRepository nodes = new JpaNodeRepository(em);
    em.getTransaction().begin();
    for (int i = 0; i < 3; i++) {
      nodes.add(
          Node.start("n" + i, "h", null, null, Clock.fixed(T0.plusSeconds(i), ZoneOffset.UTC)));
    }
    em.getTransaction().commit();

    assertThat(nodes.count()).isEqualTo(3);
    assertThat(nodes.list(0, 2)).extracting(Node::id).containsExactly("n2", "n1");
    assertThat(nodes.list(2, 2)).extracting(Node::id).containsExactly("n0");
    assertThat(nodes.find("nope")).isEmpty();
  }

  @Test
  void eachTestStartsWithAnEmptyDatabase(EntityManager em) {
    assertThat(new JpaNodeRepository(em).count()).isZero();
  }
}
