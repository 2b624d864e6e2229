package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What {@code GET /api/health} reports: an overall status and one check per dependency (database,
 * Redis, Docker engine).
 *
 * <p>{@code status} is {@code UP} when every check is up, {@code DEGRADED} when the database is up
 * but something else is down, and {@code DOWN} when the database is down.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerHealth(String status, String version, Map<String, Check> checks) {

  /**
   * One dependency: {@code UP} or {@code DOWN}, with a detail (a version or the reason it is down).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Check(String status, String detail, long millis) {
    public boolean up() {
      return "UP".equals(status);
    }
  }

  public boolean up() {
    return "UP".equals(status);
  }

  public Check check(String name) {
    return checks == null ? null : checks.get(name);
  }
}
