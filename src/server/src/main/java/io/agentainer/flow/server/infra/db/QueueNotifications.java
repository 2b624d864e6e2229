package io.agentainer.flow.server.infra.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wake-ups across nodes through PostgreSQL {@code LISTEN/NOTIFY}: a node that queues jobs sends
 * {@code NOTIFY flow_jobs} in the same transaction (delivered when it commits), and every node
 * listening hears it at once. One connection per node stays open for it; it reconnects after a
 * database restart.
 */
public class QueueNotifications implements Runnable, AutoCloseable {

  public static final String CHANNEL = "flow_jobs";

  private static final Logger LOG = Logger.getLogger(QueueNotifications.class.getName());

  private final DataSource dataSource;
  private final String nodeId;
  private final Consumer<String> onNotify;
  private volatile boolean closed;
  private volatile Connection connection;

  /**
   * @param onNotify called with the sending node's id for each notification of another node
   */
  public QueueNotifications(DataSource dataSource, String nodeId, Consumer<String> onNotify) {
    this.dataSource = dataSource;
    this.nodeId = nodeId;
    this.onNotify = onNotify;
  }

  /** The statement that notifies the other nodes, for the transaction that queues jobs. */
  public static String notifySql() {
    return "select pg_notify('" + CHANNEL + "', ?1)";
  }

  @Override
  public void run() {
    long pause = 100;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        connection = c;
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        pause = 100;
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications == null) {
            continue;
          }
          for (PGNotification n : notifications) {
            if (!nodeId.equals(n.getParameter())) {
              onNotify.accept(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.log(Level.FINE, "listening for queued jobs failed; listening again", e);
        try {
          Thread.sleep(pause); // the database is away: wait before connecting again
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        pause = Math.min(pause * 2, 5000);
      } finally {
        connection = null;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
