package io.agentainer.flow.server.infra.db;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations of {@code db/migration} when the server starts, before anything
 * uses JPA. Beans that read or write the database at startup declare
 * {@code @DependsOn("DatabaseMigrator")}. A migration that fails stops the deployment: a server
 * must not run against a schema it does not know.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseMigrator {

  private static final Logger LOG = Logger.getLogger(DatabaseMigrator.class.getName());

  @Resource(lookup = PersistenceResources.DATASOURCE)
  private DataSource dataSource;

  private String schemaVersion;

  @PostConstruct
  void migrate() {
    Flyway flyway = flyway(dataSource, DatabaseMigrator.class.getClassLoader());
    MigrateResult result = flyway.migrate();
    MigrationInfo current = flyway.info().current();
    schemaVersion = current == null ? null : current.getVersion().getVersion();
    LOG.info(
        () ->
            "database schema at version "
                + schemaVersion
                + " ("
                + result.migrationsExecuted
                + " migrations applied now)");
  }

  /** Migrates {@code dataSource} to the newest schema; also used by the repository tests. */
  public static MigrateResult migrate(DataSource dataSource, ClassLoader classLoader) {
    return flyway(dataSource, classLoader).migrate();
  }

  private static Flyway flyway(DataSource dataSource, ClassLoader classLoader) {
    return Flyway.configure(classLoader)
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .validateMigrationNaming(true)
        .load();
  }

  /** The schema version after startup, e.g. {@code 1}. */
  public String schemaVersion() {
    return schemaVersion;
  }
}
