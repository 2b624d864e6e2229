package io.agentainer.flow.server.common;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A PostgreSQL transaction-level advisory lock on {@code (space, hashtext(key))}, taken on the
 * transaction's own connection: unwrapping it makes EclipseLink start the transaction there, so the
 * lock lasts until the transaction ends and the reads that follow see what the previous holder
 * committed.
 */
public final class AdvisoryLock {

  private AdvisoryLock() {}

  /** Waits for the lock; {@code what} names it in the error if the database refuses. */
  public static void hold(EntityManager em, int space, String key, String what) {
    Connection connection = em.unwrap(Connection.class);
    try (PreparedStatement lock =
        connection.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, space);
      lock.setString(2, key);
      lock.execute();
    } catch (SQLException e) {
      throw new PersistenceException("cannot lock " + what, e);
    }
  }
}
