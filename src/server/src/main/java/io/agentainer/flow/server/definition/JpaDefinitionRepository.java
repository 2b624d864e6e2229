package io.agentainer.flow.server.definition;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@link DefinitionRepository} over JPA, with a PostgreSQL advisory lock per name for registration.
 */
@ApplicationScoped
public class JpaDefinitionRepository implements DefinitionRepository {

  /** The first key of the two-key advisory lock: "defn", so other locks on names never collide. */
  static final int LOCK_SPACE = 0x6465666e;

  private final EntityManager em;

  @Inject
  public JpaDefinitionRepository(EntityManager em) {
    this.em = em;
  }

  /** For CDI's proxy. */
  protected JpaDefinitionRepository() {
    this.em = null;
  }

  @Override
  public void add(Definition definition) {
    em.persist(definition);
    em.flush(); // the id comes from the database, and callers answer with it
  }

  @Override
  public Optional<Definition> find(long id) {
    return Optional.ofNullable(em.find(Definition.class, id));
  }

  @Override
  public Optional<Definition> find(String name, int version) {
    return em.createQuery(
            "select d from Definition d where d.name = :name and d.version = :version",
            Definition.class)
        .setParameter("name", name)
        .setParameter("version", version)
        .getResultStream()
        .findFirst();
  }

  @Override
  public Optional<Definition> latest(String name) {
    return em.createQuery(
            "select d from Definition d where d.name = :name order by d.version desc",
            Definition.class)
        .setParameter("name", name)
        .setMaxResults(1)
        .getResultStream()
        .findFirst();
  }

  @Override
  public List<Definition> versions(String name) {
    return em.createQuery(
            "select d from Definition d where d.name = :name order by d.version", Definition.class)
        .setParameter("name", name)
        .getResultList();
  }

  @Override
  public List<Definition> list(int offset, int limit) {
    return em.createQuery(
            "select d from Definition d where d.version ="
                + " (select max(l.version) from Definition l where l.name = d.name)"
                + " order by d.name",
            Definition.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  public long count() {
    return em.createQuery("select count(distinct d.name) from Definition d", Long.class)
        .getSingleResult();
  }

  /**
   * {@code pg_advisory_xact_lock(LOCK_SPACE, hashtext(name))} on the transaction's own connection
   * (unwrapping it makes EclipseLink start the transaction there, so the lock lasts until it ends
   * and the reads that follow see what the previous holder committed).
   */
  @Override
  public void lockName(String name) {
    Connection connection = em.unwrap(Connection.class);
    try (PreparedStatement lock =
        connection.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_SPACE);
      lock.setString(2, name);
      lock.execute();
    } catch (SQLException e) {
      throw new PersistenceException("cannot lock definition name " + name, e);
    }
  }
}
