package io.agentainer.flow.server.definition;

import io.agentainer.flow.server.common.AdvisoryLock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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

  /** {@link AdvisoryLock} on {@code (LOCK_SPACE, name)} until the transaction ends. */
  @Override
  public void lockName(String name) {
    AdvisoryLock.hold(em, LOCK_SPACE, name, "definition name " + name);
  }
}
