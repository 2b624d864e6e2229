package io.agentainer.flow.server.infra.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.server.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Another node's NOTIFY reaches this node's listener; its own does not. */
@ExtendWith(PostgresExtension.class)
class QueueNotificationsTest {

  private static void notify(DataSource ds, String node) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("select pg_notify('flow_jobs', ?)")) {
      s.setString(1, node);
      s.executeQuery();
    }
  }

  @Test
  void anotherNodesNotificationWakesTheListener(DataSource ds) throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    CountDownLatch woken = new CountDownLatch(1);
    try (QueueNotifications listener =
        new QueueNotifications(
            ds,
            "me",
            node -> {
              heard.add(node);
              woken.countDown();
            })) {
      Thread thread = new Thread(listener);
      thread.start();
      // the listener needs a moment to LISTEN: notify until it hears
      Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(100))
          .until(
              () -> {
                notify(ds, "me");
                notify(ds, "other-node");
                return woken.await(50, TimeUnit.MILLISECONDS);
              });
      listener.close();
      thread.join(5000);
    }
    assertThat(heard).isNotEmpty().containsOnly("other-node");
  }
}
