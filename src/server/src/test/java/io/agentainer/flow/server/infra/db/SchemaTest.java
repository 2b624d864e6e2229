package io.agentainer.flow.server.infra.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The baseline schema keeps the data true on its own, whatever the application does. */
@ExtendWith(PostgresExtension.class)
class SchemaTest {

  private static final String RUN_ID = "11111111-1111-1111-1111-111111111111";

  @Test
  void hasATableForEveryPartOfTheDomain(DataSource ds) throws SQLException {
    assertThat(query(ds, "select tablename from pg_tables where schemaname = current_schema()"))
        .contains(
            "definition",
            "run",
            "step",
            "job",
            "agent",
            "pool",
            "state_entry",
            "state_history",
            "state_blob",
            "event",
            "schedule",
            "trigger",
            "node");
  }

  @Test
  void definitionNameAndVersionAreUnique(DataSource ds) throws SQLException {
    exec(ds, definition(1));
    assertThatThrownBy(() -> exec(ds, definition(1)))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("definition_name_version_uq");
    exec(ds, definition(2));
  }

  @Test
  void definitionNamesFollowTheFormat(DataSource ds) {
    assertThatThrownBy(
            () ->
                exec(
                    ds,
                    "insert into definition (name, version, spec, spec_hash, created_at)"
                        + " values ('Bad Name', 1, '{}', 'h', now())"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("check constraint");
  }

  @Test
  void statusesAreChecked(DataSource ds) throws SQLException {
    exec(ds, definition(1));
    assertThatThrownBy(() -> exec(ds, run("DONE")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("run_status_check");
    exec(ds, run("PENDING"));
  }

  @Test
  void jobsBelongToExistingRunsAndTasksToSteps(DataSource ds) throws SQLException {
    assertThatThrownBy(() -> exec(ds, job("'" + RUN_ID + "'", "'count'", "0")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("foreign key");
    assertThatThrownBy(() -> exec(ds, job("null", "null", "0")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("check constraint");
    exec(ds, job("null", "null", "null")); // a job by hand, outside any workflow
    exec(ds, definition(1));
    exec(ds, run("RUNNING"));
    exec(ds, job("'" + RUN_ID + "'", "'count'", "3"));
  }

  @Test
  void theEngineQueriesHaveIndexes(DataSource ds) throws SQLException {
    List<String> indexes =
        query(ds, "select indexdef from pg_indexes where schemaname = current_schema()");
    assertThat(indexes)
        .anyMatch(d -> d.contains("job_due_idx") && d.contains("WHERE (status = 'QUEUED'"))
        .anyMatch(
            d -> d.contains("job_run_step_task_idx") && d.contains("(run_id, step_name, task_id"))
        .anyMatch(d -> d.contains("schedule_due_idx"));
  }

  private static String definition(int version) {
    return "insert into definition (name, version, spec, spec_hash, created_at)"
        + " values ('wordcount', "
        + version
        + ", '{\"steps\":[]}', 'h', now())";
  }

  private static String run(String status) {
    return "insert into run (id, definition_id, status, created_at) values ('"
        + RUN_ID
        + "', (select min(id) from definition), '"
        + status
        + "', now())";
  }

  private static String job(String runId, String step, String task) {
    return "insert into job (id, run_id, step_name, task_id, status, execution_mode, runtime,"
        + " image, queued_at, due_at) values (gen_random_uuid(), "
        + runId
        + ", "
        + step
        + ", "
        + task
        + ", 'QUEUED', 'cold', 'process', 'agentainer/example-agent:latest', now(), now())";
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> query(DataSource ds, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
