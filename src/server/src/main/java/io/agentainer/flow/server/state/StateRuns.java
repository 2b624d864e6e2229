package io.agentainer.flow.server.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Whether a run exists, remembered for the runs whose state is in use (a run is never deleted while
 * its state is, so a run once seen stays).
 */
@ApplicationScoped
public class StateRuns {

  private static final int REMEMBERED = 10_000;

  @Inject DataSource dataSource;

  private final Map<UUID, Boolean> known = new ConcurrentHashMap<>();

  public boolean exists(UUID run) {
    if (known.containsKey(run)) {
      return true;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("select 1 from run where id = ?")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
      }
    } catch (SQLException e) {
      throw StateStore.failure(e);
    }
    if (known.size() >= REMEMBERED) {
      known.clear();
    }
    known.put(run, Boolean.TRUE);
    return true;
  }
}
