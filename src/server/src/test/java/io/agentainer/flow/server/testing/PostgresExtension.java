package io.agentainer.flow.server.testing;

import io.agentainer.flow.server.infra.db.DatabaseMigrator;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Repository tests against the real PostgreSQL ({@code FLOW_TEST_DB_URL}, the {@code test} database
 * by default): the schema is migrated by Flyway once per test run, every table is truncated before
 * each test, and sessions run in a time zone far from UTC on purpose ({@link #SESSION_TIME_ZONE}),
 * so code that leans on UTC by accident fails here.
 *
 * <p>Test methods and constructors may take a {@link DataSource}, an {@link EntityManagerFactory}
 * or an {@link EntityManager} (a fresh one per test, closed after it).
 */
public class PostgresExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  /** UTC+13:45 in southern summer, +12:45 in winter: no code gets that right by accident. */
  public static final String SESSION_TIME_ZONE = "Pacific/Chatham";

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) throws SQLException {
    Database db = database(context);
    try (Connection c = db.dataSource.getConnection();
        Statement s = c.createStatement()) {
      // a test that left a transaction open fails the next one here, instead of hanging the run
      s.execute("SET lock_timeout = '20s'");
      s.execute("TRUNCATE " + String.join(", ", db.tables) + " RESTART IDENTITY CASCADE");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    EntityManager em = context.getStore(NS).remove(EntityManager.class, EntityManager.class);
    if (em != null) {
      if (em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
      em.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == DataSource.class
        || type == EntityManagerFactory.class
        || type == EntityManager.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    Database db = database(context);
    if (type == DataSource.class) {
      return db.dataSource;
    }
    if (type == EntityManagerFactory.class) {
      return db.emf;
    }
    return context
        .getStore(NS)
        .getOrComputeIfAbsent(
            EntityManager.class, k -> db.emf.createEntityManager(), EntityManager.class);
  }

  /** The database of the whole test run: migrated once, closed when the run ends. */
  private static Database database(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(Database.class, k -> Database.open(), Database.class);
  }

  /** The migrated test database. */
  static final class Database implements ExtensionContext.Store.CloseableResource {
    final DataSource dataSource;
    final EntityManagerFactory emf;
    final List<String> tables;

    private Database(DataSource dataSource, EntityManagerFactory emf, List<String> tables) {
      this.dataSource = dataSource;
      this.emf = emf;
      this.tables = tables;
    }

    static Database open() {
      String url =
          Objects.requireNonNullElse(
              System.getenv("FLOW_TEST_DB_URL"), "jdbc:postgresql://127.0.0.1:5432/test");
      String user = Objects.requireNonNullElse(System.getenv("FLOW_TEST_DB_USER"), "postgres");
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(url);
      ds.setUser(user);
      ds.setPassword(System.getenv("FLOW_TEST_DB_PASSWORD"));
      ds.setStringType("unspecified");
      DataSource zoned = inSessionTimeZone(ds);
      DatabaseMigrator.migrate(zoned, PostgresExtension.class.getClassLoader());

      Map<String, Object> props = new HashMap<>();
      props.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
      props.put("jakarta.persistence.jtaDataSource", "");
      props.put("jakarta.persistence.nonJtaDataSource", zoned);
      props.put("eclipselink.target-server", "None");
      props.put("eclipselink.logging.level", "WARNING");
      EntityManagerFactory emf = Persistence.createEntityManagerFactory("flow", props);
      return new Database(zoned, emf, tables(zoned));
    }

    /**
     * Every connection starts with {@code SET TIME ZONE}: the driver sends the JVM's zone at login,
     * which would override a connection option.
     */
    private static DataSource inSessionTimeZone(DataSource target) {
      InvocationHandler handler =
          (proxy, method, args) -> {
            try {
              Object result = method.invoke(target, args);
              if (result instanceof Connection connection) {
                try (Statement s = connection.createStatement()) {
                  s.execute("SET TIME ZONE '" + SESSION_TIME_ZONE + "'");
                }
              }
              return result;
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      return (DataSource)
          Proxy.newProxyInstance(
              PostgresExtension.class.getClassLoader(), new Class<?>[] {DataSource.class}, handler);
    }

    private static List<String> tables(DataSource ds) {
      List<String> tables = new ArrayList<>();
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select tablename from pg_tables where schemaname = current_schema()"
                      + " and tablename <> 'flyway_schema_history' order by tablename")) {
        while (rs.next()) {
          tables.add("\"" + rs.getString(1) + "\"");
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot list the tables of the test database", e);
      }
      return List.copyOf(tables);
    }

    @Override
    public void close() {
      emf.close();
    }
  }
}
