package io.agentainer.flow.server.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** {@link NodeRepository} over JPA; the caller owns the transaction. */
@ApplicationScoped
public class JpaNodeRepository implements NodeRepository {

  private final EntityManager em;

  @Inject
  public JpaNodeRepository(EntityManager em) {
    this.em = em;
  }

  /** For CDI's proxy. */
  protected JpaNodeRepository() {
    this.em = null;
  }

  @Override
  public void add(Node node) {
    em.persist(node);
  }

  @Override
  public Optional<Node> find(String id) {
    return Optional.ofNullable(em.find(Node.class, id));
  }

  @Override
  public List<Node> list(int offset, int limit) {
    return em.createQuery("select n from Node n order by n.startedAt desc, n.id", Node.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  public long count() {
    return em.createQuery("select count(n) from Node n", Long.class).getSingleResult();
  }
}
