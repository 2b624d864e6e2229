package io.agentainer.flow.server.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /api/health} answers: {@code UP} when every check is up, {@code DEGRADED} when
 * the database is up but Redis or Docker is not, {@code DOWN} when the database is down.
 */
public record HealthReport(String status, String version, Map<String, Check> checks) {

  public static final String DATABASE = "database";

  /**
   * One dependency: {@code UP} or {@code DOWN}, a detail (version, or why it is down), time taken.
   */
  public record Check(String status, String detail, long millis) {
    public static Check up(String detail, long millis) {
      return new Check("UP", detail, millis);
    }

    public static Check down(String reason, long millis) {
      return new Check("DOWN", reason, millis);
    }

    @JsonIgnore
    public boolean isUp() {
      return "UP".equals(status);
    }
  }

  public static HealthReport of(String version, Map<String, Check> checks) {
    Check database = checks.get(DATABASE);
    String status;
    if (database == null || !database.isUp()) {
      status = "DOWN";
    } else if (checks.values().stream().allMatch(Check::isUp)) {
      status = "UP";
    } else {
      status = "DEGRADED";
    }
    return new HealthReport(status, version, new LinkedHashMap<>(checks));
  }

  @JsonIgnore
  public boolean isDown() {
    return "DOWN".equals(status);
  }
}
