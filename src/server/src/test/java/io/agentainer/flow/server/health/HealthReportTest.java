package io.agentainer.flow.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.server.health.HealthReport.Check;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  private static Map<String, Check> checks(boolean db, boolean redis, boolean docker) {
    Map<String, Check> checks = new LinkedHashMap<>();
    checks.put("database", db ? Check.up("PostgreSQL 15", 1) : Check.down("refused", 1));
    checks.put("redis", redis ? Check.up("Redis 7", 1) : Check.down("refused", 1));
    checks.put("docker", docker ? Check.up("Docker 28", 1) : Check.down("no socket", 1));
    return checks;
  }

  @Test
  void upWhenAllAreUp() {
    assertThat(HealthReport.of("1", checks(true, true, true)).status()).isEqualTo("UP");
  }

  @Test
  void degradedWhenOnlyRedisOrDockerIsDown() {
    assertThat(HealthReport.of("1", checks(true, false, true)).status()).isEqualTo("DEGRADED");
    assertThat(HealthReport.of("1", checks(true, true, false)).status()).isEqualTo("DEGRADED");
  }

  @Test
  void downWhenTheDatabaseIsDown() {
    HealthReport report = HealthReport.of("1", checks(false, true, true));
    assertThat(report.status()).isEqualTo("DOWN");
    assertThat(report.isDown()).isTrue();
  }

  @Test
  void aProbeThatThrowsIsDownWithItsReason() {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Check> check =
          HealthService.timed(
              () -> {
                throw new IllegalStateException("Connection refused");
              },
              executor);
      assertThat(check.join())
          .extracting(Check::status, Check::detail)
          .containsExactly("DOWN", "Connection refused");
      assertThat(HealthService.timed(() -> "fine", executor).join())
          .extracting(Check::status, Check::detail)
          .containsExactly("UP", "fine");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aProbeThatHangsIsDownAfterTheLimit() {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> never = new CompletableFuture<>();
    try {
      Check check = HealthService.timed(() -> never.thenApply(v -> "x").join(), executor).join();
      assertThat(check.status()).isEqualTo("DOWN");
      assertThat(check.detail()).isEqualTo("no answer within 3 s");
      assertThat(check.millis()).isGreaterThanOrEqualTo(HealthService.LIMIT.toMillis());
    } finally {
      never.complete(null);
      executor.shutdownNow();
    }
  }
}
