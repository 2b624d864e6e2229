package io.agentainer.flow.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentainer.flow.server.infra.db.DatabaseMigrator;
import io.agentainer.flow.server.node.Node;
import io.agentainer.flow.server.node.NodeRegistry;
import io.agentainer.flow.server.node.NodeRepository;
import io.agentainer.flow.server.node.NodeStatus;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Inside WildFly: Flyway ran at startup, and JPA is EclipseLink over FlowDS. */
@ArquillianTest
class PersistenceIT {

  @Deployment
  static WebArchive deployment() {
    return Deployments.serverWar().addClass(PersistenceIT.class).addClass(Deployments.class);
  }

  @PersistenceContext(unitName = "flow")
  EntityManager em;

  @Inject NodeRepository nodes;
  @Inject UserTransaction tx;
  @Inject DatabaseMigrator migrator;
  @Inject NodeRegistry registry;

  @Test
  void theProviderIsEclipseLink() {
    String provider = em.getEntityManagerFactory().getClass().getName();
    assertTrue(provider.startsWith("org.eclipse.persistence."), provider);
    assertTrue(em.getDelegate().getClass().getName().startsWith("org.eclipse.persistence."));
  }

  @Test
  void flywayMigratedTheSchemaAtStartup() {
    Number newest =
        (Number)
            em.createNativeQuery(
                    "select max(cast(version as integer)) from flyway_schema_history where success")
                .getSingleResult();
    Number failed =
        (Number)
            em.createNativeQuery("select count(*) from flyway_schema_history where not success")
                .getSingleResult();
    assertTrue(newest.intValue() >= 2, "migrations applied: " + newest);
    assertEquals(String.valueOf(newest.intValue()), migrator.schemaVersion());
    assertEquals(0, failed.intValue());
  }

  @Test
  void persistsAndReadsAnEntity() throws Exception {
    Instant t0 = Instant.parse("2026-11-27T12:00:00.5Z");
    String id = "it-node-" + System.nanoTime();
    tx.begin();
    nodes.add(Node.start(id, "it-host", 7L, "test", Clock.fixed(t0, ZoneOffset.UTC)));
    tx.commit();

    tx.begin();
    Node read = nodes.find(id).orElseThrow();
    assertEquals("it-host", read.host());
    assertEquals(t0, read.startedAt());
    assertEquals(NodeStatus.ACTIVE, read.status());
    read.stop(Clock.fixed(t0.plusSeconds(1), ZoneOffset.UTC));
    tx.commit();

    em.clear();
    assertEquals(NodeStatus.STOPPED, nodes.find(id).orElseThrow().status());
  }

  @Test
  void theServerRegisteredItsNode() {
    Node self = nodes.find(registry.nodeId()).orElseThrow();
    assertEquals(NodeStatus.ACTIVE, self.status());
    assertEquals(ProcessHandle.current().pid(), self.pid());
  }
}
