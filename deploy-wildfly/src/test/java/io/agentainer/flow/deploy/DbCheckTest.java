package io.agentainer.flow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Against the PostgreSQL on 127.0.0.1:5432. */
class DbCheckTest {

  @Test
  void aReachableDatabaseAnswersWithItsVersion() {
    DbCheck.Result result = DbCheck.check("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
    assertThat(result.code()).isZero();
    assertThat(result.message()).startsWith("PostgreSQL");
  }

  @Test
  void aUrlThatIsNotPostgresIsAUsageError() {
    DbCheck.Result result = DbCheck.check("jdbc:mysql://localhost/x", "u", "");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.message()).startsWith("FLOW_DB_URL must be a PostgreSQL JDBC URL");
  }

  @Test
  void nothingListeningIsNamed() {
    DbCheck.Result result = DbCheck.check("jdbc:postgresql://127.0.0.1:1/test", "postgres", "");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.message())
        .startsWith("FLOW_DB_URL=jdbc:postgresql://127.0.0.1:1/test: nothing answers there");
  }

  @Test
  void aMissingDatabaseIsNamed() {
    DbCheck.Result result =
        DbCheck.check("jdbc:postgresql://127.0.0.1:5432/no_such_db_here", "postgres", "");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.message()).contains("no such database");
  }
}
