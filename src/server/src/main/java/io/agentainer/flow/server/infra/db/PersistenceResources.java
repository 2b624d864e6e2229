package io.agentainer.flow.server.infra.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import javax.sql.DataSource;

/**
 * The container's persistence resources as CDI beans, so repositories take them in their
 * constructors: the transaction-scoped {@link EntityManager} of the {@code flow} unit and the
 * {@code FlowDS} datasource.
 */
@ApplicationScoped
public class PersistenceResources {

  public static final String DATASOURCE = "java:jboss/datasources/FlowDS";

  @Produces
  @PersistenceContext(unitName = "flow")
  private EntityManager entityManager;

  @Produces
  @Resource(lookup = DATASOURCE)
  private DataSource dataSource;
}
